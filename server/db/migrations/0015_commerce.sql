CREATE TABLE "commerce_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"renewal_window_days" integer DEFAULT 90 NOT NULL,
	"order_years" integer DEFAULT 2 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"products" text[] DEFAULT '{}'::text[] NOT NULL,
	"amount_minor" bigint NOT NULL,
	"cost_minor" bigint,
	"signed_on" date NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"maintenance_ends_on" date,
	"sla_tier" text,
	"services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"renewal_of" uuid,
	"renewal_opportunity_id" uuid,
	"external_ref" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contracts_amounts" CHECK ("contracts"."amount_minor" >= 0 and ("contracts"."cost_minor" is null or "contracts"."cost_minor" >= 0)),
	CONSTRAINT "contracts_term" CHECK ("contracts"."starts_on" <= "contracts"."ends_on"),
	CONSTRAINT "contracts_sla_tier" CHECK ("contracts"."sla_tier" is null or "contracts"."sla_tier" in ('A','B','C','D','E'))
);
--> statement-breakpoint
CREATE TABLE "delivery_projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"name" text NOT NULL,
	"manager_id" uuid,
	"accepted_on" date,
	"first_pass" boolean,
	"defects" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_projects_acceptance" CHECK (("delivery_projects"."accepted_on" is null) = ("delivery_projects"."first_pass" is null)),
	CONSTRAINT "delivery_projects_defects" CHECK ("delivery_projects"."defects" is null or "delivery_projects"."defects" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_plan_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"label" text NOT NULL,
	"due_on" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"invoice_no" text,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_plan_items_amount" CHECK ("payment_plan_items"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"plan_item_id" uuid,
	"received_on" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount" CHECK ("payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "project_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"title" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"planned_on" date NOT NULL,
	"actual_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "time_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"worked_on" date NOT NULL,
	"hours" numeric(5, 2) NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_entries_hours" CHECK ("time_entries"."hours" > 0 and "time_entries"."hours" <= 24)
);
--> statement-breakpoint
ALTER TABLE "opportunities" DROP CONSTRAINT "opportunities_source_kind";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "grading_computed" jsonb;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "grading_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "commerce_settings" ADD CONSTRAINT "commerce_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_projects" ADD CONSTRAINT "delivery_projects_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_projects" ADD CONSTRAINT "delivery_projects_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_projects" ADD CONSTRAINT "delivery_projects_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_projects" ADD CONSTRAINT "delivery_projects_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_items" ADD CONSTRAINT "payment_plan_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_items" ADD CONSTRAINT "payment_plan_items_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_items" ADD CONSTRAINT "payment_plan_items_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_plan_item_id_payment_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."payment_plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_project_id_delivery_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."delivery_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_project_id_delivery_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."delivery_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_ws_number" ON "contracts" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "contracts_ws_account" ON "contracts" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "contracts_ws_ends" ON "contracts" USING btree ("workspace_id","ends_on");--> statement-breakpoint
CREATE INDEX "delivery_projects_ws_account" ON "delivery_projects" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "delivery_projects_contract" ON "delivery_projects" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "payment_plan_items_ws_due" ON "payment_plan_items" USING btree ("workspace_id","due_on");--> statement-breakpoint
CREATE INDEX "payment_plan_items_contract" ON "payment_plan_items" USING btree ("contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_plan_items_ws_ref" ON "payment_plan_items" USING btree ("workspace_id","external_ref") WHERE "payment_plan_items"."external_ref" is not null;--> statement-breakpoint
CREATE INDEX "payments_ws_received" ON "payments" USING btree ("workspace_id","received_on");--> statement-breakpoint
CREATE INDEX "payments_contract" ON "payments" USING btree ("contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_ws_ref" ON "payments" USING btree ("workspace_id","external_ref") WHERE "payments"."external_ref" is not null;--> statement-breakpoint
CREATE INDEX "project_milestones_project" ON "project_milestones" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_milestones_ws_planned" ON "project_milestones" USING btree ("workspace_id","planned_on");--> statement-breakpoint
CREATE INDEX "time_entries_ws_user_day" ON "time_entries" USING btree ("workspace_id","user_id","worked_on");--> statement-breakpoint
CREATE INDEX "time_entries_project" ON "time_entries" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "time_entries_ws_ref" ON "time_entries" USING btree ("workspace_id","external_ref") WHERE "time_entries"."external_ref" is not null;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_source_kind" CHECK ("opportunities"."source_kind" in ('ticket','meeting','value_add_task','portal_demand','visit','contract','other'));