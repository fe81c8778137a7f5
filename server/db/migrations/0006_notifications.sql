CREATE TABLE "notification_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"quiet_start" text,
	"quiet_end" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_quiet" CHECK (("notification_preferences"."quiet_start" is null) = ("notification_preferences"."quiet_end" is null) and ("notification_preferences"."quiet_start" is null or ("notification_preferences"."quiet_start" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "notification_preferences"."quiet_end" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"account_id" uuid,
	"urgent" boolean DEFAULT false NOT NULL,
	"dedupe_key" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_once" ON "notifications" USING btree ("workspace_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_user" ON "notifications" USING btree ("workspace_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unread" ON "notifications" USING btree ("workspace_id","user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
-- custom: the meetings module's notices move into the notification centre (the old table is dropped next)
INSERT INTO "notifications" ("workspace_id","user_id","kind","title","record_type","record_id","account_id","dedupe_key","read_at","created_at")
SELECT n."workspace_id", n."user_id",
  CASE WHEN n."kind" IN ('invited','updated','cancelled','reminder') THEN 'meeting_' || n."kind" ELSE 'action_' || n."kind" END,
  n."title",
  CASE WHEN n."action_item_id" IS NOT NULL THEN 'action_item' ELSE 'meeting' END,
  COALESCE(n."action_item_id", n."meeting_id"),
  COALESCE(a."account_id", m."account_id"),
  'meeting:' || n."dedupe_key", n."read_at", n."created_at"
FROM "meeting_notifications" n
LEFT JOIN "action_items" a ON a."id" = n."action_item_id"
LEFT JOIN "meetings" m ON m."id" = n."meeting_id"
WHERE COALESCE(n."action_item_id", n."meeting_id") IS NOT NULL
  AND n."kind" IN ('invited','updated','cancelled','reminder','assigned','due_soon','overdue','escalated')
ON CONFLICT DO NOTHING;
