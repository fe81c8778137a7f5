CREATE TABLE "im_robots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid,
	"platform" text NOT NULL,
	"name" text NOT NULL,
	"webhook_url" text NOT NULL,
	"secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"recent_sends" timestamp with time zone[] DEFAULT '{}'::timestamptz[] NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_failure_reason" text,
	"last_failure_code" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "im_robots_platform" CHECK ("im_robots"."platform" in ('wecom','dingtalk','feishu')),
	CONSTRAINT "im_robots_failure_reason" CHECK ("im_robots"."last_failure_reason" is null or "im_robots"."last_failure_reason" in ('rejected','rate_limited','unreachable','blocked'))
);
--> statement-breakpoint
ALTER TABLE "im_robots" ADD CONSTRAINT "im_robots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "im_robots" ADD CONSTRAINT "im_robots_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "im_robots_ws_account" ON "im_robots" USING btree ("workspace_id","account_id");--> statement-breakpoint
ALTER TABLE "webhook_endpoints" DROP COLUMN "allow_hosts";