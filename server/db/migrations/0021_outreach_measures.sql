CREATE TABLE "outreach_clicks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"link_index" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_referral_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"referrer_contact_id" uuid NOT NULL,
	"campaign_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"referrer_contact_id" uuid NOT NULL,
	"campaign_id" uuid,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"company" text,
	"consent" boolean NOT NULL,
	"consent_text" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_referrals_contact" CHECK ("outreach_referrals"."email" is not null or "outreach_referrals"."phone" is not null),
	CONSTRAINT "outreach_referrals_consent" CHECK ("outreach_referrals"."consent")
);
--> statement-breakpoint
CREATE TABLE "outreach_tracking" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"to_c_stage" text,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"opened_first_at" timestamp with time zone,
	"opened_last_at" timestamp with time zone,
	"open_count" integer DEFAULT 0 NOT NULL,
	"clicked_first_at" timestamp with time zone,
	"clicked_last_at" timestamp with time zone,
	"click_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "outreach_tracking_workspace_id_campaign_id_contact_id_pk" PRIMARY KEY("workspace_id","campaign_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "outreach_settings" ADD COLUMN "attribution_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_referrer_contact_id_contacts_id_fk" FOREIGN KEY ("referrer_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_referrer_contact_id_contacts_id_fk" FOREIGN KEY ("referrer_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outreach_clicks_campaign" ON "outreach_clicks" USING btree ("workspace_id","campaign_id","contact_id");--> statement-breakpoint
CREATE INDEX "outreach_referral_visits_ws" ON "outreach_referral_visits" USING btree ("workspace_id","campaign_id","at");--> statement-breakpoint
CREATE INDEX "outreach_referrals_ws" ON "outreach_referrals" USING btree ("workspace_id","campaign_id","at");--> statement-breakpoint
CREATE INDEX "outreach_referrals_referrer" ON "outreach_referrals" USING btree ("workspace_id","referrer_contact_id","at");--> statement-breakpoint
CREATE INDEX "outreach_tracking_sent" ON "outreach_tracking" USING btree ("workspace_id","sent_at");