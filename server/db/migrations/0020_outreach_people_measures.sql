CREATE TABLE "outreach_clicks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"link_index" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outreach_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outreach_person_tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"source" text NOT NULL,
	"rule_id" uuid,
	"evidence" jsonb,
	"note" text,
	"created_by" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_person_tags_source" CHECK ("outreach_person_tags"."source" in ('manual','import','rule')),
	CONSTRAINT "outreach_person_tags_rule" CHECK (("outreach_person_tags"."source" = 'rule') = ("outreach_person_tags"."rule_id" is not null))
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
CREATE TABLE "outreach_stage_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text,
	"source" text NOT NULL,
	"rule_id" uuid,
	"user_id" uuid,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_stage_moves_source" CHECK ("outreach_stage_moves"."source" in ('staff','import','rule'))
);
--> statement-breakpoint
CREATE TABLE "outreach_tag_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"min_count" integer DEFAULT 1 NOT NULL,
	"days" integer NOT NULL,
	"tag" text NOT NULL,
	"stage" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_run_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_tag_rules_kind" CHECK ("outreach_tag_rules"."kind" in ('portal_views','portal_requests','purchases','tickets')),
	CONSTRAINT "outreach_tag_rules_counts" CHECK ("outreach_tag_rules"."min_count" >= 1 and "outreach_tag_rules"."days" >= 1),
	CONSTRAINT "outreach_tag_rules_stage" CHECK ("outreach_tag_rules"."stage" is null or "outreach_tag_rules"."stage" in ('contact','interest','purchase','repurchase','loyalty'))
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
ALTER TABLE "campaign_recipients" ADD COLUMN "batch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_people" ADD COLUMN "to_c_stage" text;--> statement-breakpoint
ALTER TABLE "outreach_people" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "outreach_people" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_settings" ADD COLUMN "attribution_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_clicks" ADD CONSTRAINT "outreach_clicks_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_messages" ADD CONSTRAINT "outreach_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_messages" ADD CONSTRAINT "outreach_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_messages" ADD CONSTRAINT "outreach_messages_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_person_tags" ADD CONSTRAINT "outreach_person_tags_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_person_tags" ADD CONSTRAINT "outreach_person_tags_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_person_tags" ADD CONSTRAINT "outreach_person_tags_rule_id_outreach_tag_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."outreach_tag_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_person_tags" ADD CONSTRAINT "outreach_person_tags_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_referrer_contact_id_contacts_id_fk" FOREIGN KEY ("referrer_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referral_visits" ADD CONSTRAINT "outreach_referral_visits_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_referrer_contact_id_contacts_id_fk" FOREIGN KEY ("referrer_contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_referrals" ADD CONSTRAINT "outreach_referrals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_stage_moves" ADD CONSTRAINT "outreach_stage_moves_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_stage_moves" ADD CONSTRAINT "outreach_stage_moves_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_stage_moves" ADD CONSTRAINT "outreach_stage_moves_rule_id_outreach_tag_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."outreach_tag_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_stage_moves" ADD CONSTRAINT "outreach_stage_moves_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tag_rules" ADD CONSTRAINT "outreach_tag_rules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tag_rules" ADD CONSTRAINT "outreach_tag_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_tracking" ADD CONSTRAINT "outreach_tracking_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outreach_clicks_campaign" ON "outreach_clicks" USING btree ("workspace_id","campaign_id","contact_id");--> statement-breakpoint
CREATE INDEX "outreach_messages_inbox" ON "outreach_messages" USING btree ("workspace_id","contact_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_messages_once" ON "outreach_messages" USING btree ("campaign_id","contact_id");--> statement-breakpoint
CREATE INDEX "outreach_person_tags_tag" ON "outreach_person_tags" USING btree ("workspace_id","tag");--> statement-breakpoint
CREATE INDEX "outreach_person_tags_contact" ON "outreach_person_tags" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_person_tags_once" ON "outreach_person_tags" USING btree ("workspace_id","contact_id","tag","source") WHERE "outreach_person_tags"."rule_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "outreach_person_tags_rule_once" ON "outreach_person_tags" USING btree ("workspace_id","contact_id","tag","rule_id") WHERE "outreach_person_tags"."rule_id" is not null;--> statement-breakpoint
CREATE INDEX "outreach_referral_visits_ws" ON "outreach_referral_visits" USING btree ("workspace_id","campaign_id","at");--> statement-breakpoint
CREATE INDEX "outreach_referrals_ws" ON "outreach_referrals" USING btree ("workspace_id","campaign_id","at");--> statement-breakpoint
CREATE INDEX "outreach_referrals_referrer" ON "outreach_referrals" USING btree ("workspace_id","referrer_contact_id","at");--> statement-breakpoint
CREATE INDEX "outreach_stage_moves_contact" ON "outreach_stage_moves" USING btree ("workspace_id","contact_id","at");--> statement-breakpoint
CREATE INDEX "outreach_tag_rules_ws" ON "outreach_tag_rules" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "outreach_tracking_sent" ON "outreach_tracking" USING btree ("workspace_id","sent_at");--> statement-breakpoint
CREATE INDEX "campaign_recipients_batch" ON "campaign_recipients" USING btree ("campaign_id","batch");--> statement-breakpoint
CREATE INDEX "outreach_people_stage" ON "outreach_people" USING btree ("workspace_id","to_c_stage");--> statement-breakpoint
ALTER TABLE "outreach_people" ADD CONSTRAINT "outreach_people_stage" CHECK ("outreach_people"."to_c_stage" is null or "outreach_people"."to_c_stage" in ('contact','interest','purchase','repurchase','loyalty'));