DROP INDEX "tickets_number";--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "ticket_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_ws_number" ON "tickets" USING btree ("workspace_id","number");--> statement-breakpoint
-- existing workspaces go on from their highest number (numbers were global until now, so each is already unique)
UPDATE "workspaces" w SET "ticket_seq" = coalesce((SELECT max(t."number") FROM "tickets" t WHERE t."workspace_id" = w."id"), 0);
