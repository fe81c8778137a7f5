CREATE TABLE "channel_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"region" text,
	"contact_name" text,
	"contact_phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"workspace_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"industry" text,
	"lead_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_kind" CHECK ("teams"."kind" in ('service_desk','expert','delivery','industry_center')),
	CONSTRAINT "teams_center_industry" CHECK (("teams"."kind" = 'industry_center') = ("teams"."industry" is not null))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"locale" text,
	"phone" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"channel_partner_id" uuid,
	"manager_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role" CHECK ("users"."role" in ('admin','manager','sales','delivery','after_sales','csm','expert','channel_implementer')),
	CONSTRAINT "users_channel" CHECK (("users"."role" = 'channel_implementer') = ("users"."channel_partner_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"timezone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"default_locale" text DEFAULT 'zh-CN' NOT NULL,
	"customer_model" text DEFAULT 'to_b' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"name" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"every_seconds" integer NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"principal_kind" text NOT NULL,
	"principal_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"industry" text NOT NULL,
	"region" text NOT NULL,
	"channel_partner_id" uuid,
	"owner_id" uuid,
	"revenue_target_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"fiscal_year" integer NOT NULL,
	"products" text[] DEFAULT '{}'::text[] NOT NULL,
	"contracts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"on_time_payment_pct" integer,
	"order_amount_minor" bigint DEFAULT 0 NOT NULL,
	"prospect" integer,
	"profit_margin_pct" integer,
	"tier" text DEFAULT 'D' NOT NULL,
	"model_tier" text DEFAULT 'D' NOT NULL,
	"tier_override" text,
	"tier_override_reason" text,
	"value_score" integer DEFAULT 0 NOT NULL,
	"potential_score" integer DEFAULT 0 NOT NULL,
	"grading_detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"graded_at" timestamp with time zone,
	"stage" text DEFAULT 'handover' NOT NULL,
	"stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"to_c_stage" text,
	"ladder" text DEFAULT 'participant' NOT NULL,
	"sales_id" uuid,
	"delivery_id" uuid,
	"after_sales_id" uuid,
	"csm_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_tier" CHECK ("accounts"."tier" in ('A','B','C','D','E') and "accounts"."model_tier" in ('A','B','C','D','E')),
	CONSTRAINT "accounts_override" CHECK (("accounts"."tier_override" is null) = ("accounts"."tier_override_reason" is null)),
	CONSTRAINT "accounts_stage" CHECK ("accounts"."stage" in ('handover','startup','adaptation','renewal','churn')),
	CONSTRAINT "accounts_to_c_stage" CHECK ("accounts"."to_c_stage" is null or "accounts"."to_c_stage" in ('contact','interest','purchase','repurchase','loyalty')),
	CONSTRAINT "accounts_ladder" CHECK ("accounts"."ladder" in ('participant','supplier','key_supplier','strategic_partner')),
	CONSTRAINT "accounts_amounts" CHECK ("accounts"."revenue_target_minor" >= 0 and "accounts"."order_amount_minor" >= 0),
	CONSTRAINT "accounts_pct" CHECK (("accounts"."on_time_payment_pct" is null or "accounts"."on_time_payment_pct" between 0 and 100) and ("accounts"."profit_margin_pct" is null or "accounts"."profit_margin_pct" between -100 and 100)),
	CONSTRAINT "accounts_prospect" CHECK ("accounts"."prospect" is null or "accounts"."prospect" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"department" text,
	"email" text,
	"phone" text,
	"side" text DEFAULT 'other' NOT NULL,
	"org_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_key_person" boolean DEFAULT false NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_side" CHECK ("contacts"."side" in ('business_head','operations_it','executive','other')),
	CONSTRAINT "contacts_groups" CHECK ("contacts"."org_groups" <@ array['promotion_committee','rollout','kpi_monitoring','improvement_ops']::text[])
);
--> statement-breakpoint
CREATE TABLE "grading_models" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "key_person_logins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"locale" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_person_logins_contact_id_unique" UNIQUE("contact_id")
);
--> statement-breakpoint
CREATE TABLE "ladder_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"from_level" text,
	"to_level" text NOT NULL,
	"reason" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "relationship_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"our_side" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"strength" integer NOT NULL,
	"last_contact_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relationship_links_side" CHECK ("relationship_links"."our_side" in ('sales','service','delivery','executive')),
	CONSTRAINT "relationship_links_strength" CHECK ("relationship_links"."strength" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"rules" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stage_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"note" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tier_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"from_tier" text,
	"to_tier" text NOT NULL,
	"source" text NOT NULL,
	"reason" text,
	"value_score" integer,
	"potential_score" integer,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"source_kind" text NOT NULL,
	"source_id" uuid,
	"captured_by_id" uuid NOT NULL,
	"owner_id" uuid,
	"amount_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"product" text,
	"stage" text DEFAULT 'captured' NOT NULL,
	"lost_reason" text,
	"expected_close_on" text,
	"handed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_source_kind" CHECK ("opportunities"."source_kind" in ('ticket','meeting','value_add_task','portal_demand','visit','other')),
	CONSTRAINT "opportunities_stage" CHECK ("opportunities"."stage" in ('captured','incubating','handed_to_sales','won','lost')),
	CONSTRAINT "opportunities_amount" CHECK ("opportunities"."amount_minor" >= 0),
	CONSTRAINT "opportunities_lost_reason" CHECK ("opportunities"."stage" <> 'lost' or "opportunities"."lost_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "opportunity_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"note" text,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"event" text NOT NULL,
	"opportunity_id" uuid,
	"url" text NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_outcome" CHECK ("webhook_deliveries"."outcome" in ('delivered','failed','refused'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"allow_hosts" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"fiscal_year" integer NOT NULL,
	"target_minor" bigint NOT NULL,
	"ratio_bp" integer NOT NULL,
	"budget_minor" bigint NOT NULL,
	"extra_minor" bigint DEFAULT 0 NOT NULL,
	"opening_spent_minor" bigint DEFAULT 0 NOT NULL,
	"committed_minor" bigint DEFAULT 0 NOT NULL,
	"remaining_minor" bigint GENERATED ALWAYS AS (budget_minor + extra_minor - committed_minor) STORED NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_budgets_remaining" CHECK ("account_budgets"."budget_minor" + "account_budgets"."extra_minor" - "account_budgets"."committed_minor" >= 0),
	CONSTRAINT "account_budgets_money" CHECK ("account_budgets"."budget_minor" >= 0 and "account_budgets"."extra_minor" >= 0 and "account_budgets"."committed_minor" >= "account_budgets"."opening_spent_minor" and "account_budgets"."opening_spent_minor" >= 0),
	CONSTRAINT "account_budgets_ratio" CHECK ("account_budgets"."ratio_bp" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "account_focus" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"period" text NOT NULL,
	"tasks" text[] NOT NULL,
	"note" text,
	"chosen_by_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_focus_tasks" CHECK (cardinality("account_focus"."tasks") > 0 and "account_focus"."tasks" <@ array['capture','incubate','closeness','solution','price','behaviour']::text[])
);
--> statement-breakpoint
CREATE TABLE "value_add_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"catalog_item_id" uuid NOT NULL,
	"task_id" uuid,
	"budget_id" uuid,
	"fiscal_year" integer NOT NULL,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"promised_value_minor" bigint,
	"status" text NOT NULL,
	"requested_by_id" uuid NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_add_bookings_kind" CHECK ("value_add_bookings"."kind" in ('free','paid')),
	CONSTRAINT "value_add_bookings_status" CHECK ("value_add_bookings"."status" in ('booked','pending_approval','rejected','cancelled')),
	CONSTRAINT "value_add_bookings_amount" CHECK ("value_add_bookings"."amount_minor" >= 0 and ("value_add_bookings"."promised_value_minor" is null or "value_add_bookings"."promised_value_minor" >= 0)),
	CONSTRAINT "value_add_bookings_budget" CHECK ("value_add_bookings"."kind" = 'paid' or "value_add_bookings"."budget_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "catalog_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"menu" text NOT NULL,
	"code" text NOT NULL,
	"position" integer NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"description" text,
	"process_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"executor_role" text NOT NULL,
	"pricing" text NOT NULL,
	"price_minor" bigint DEFAULT 0 NOT NULL,
	"internal_cost_minor" bigint DEFAULT 0 NOT NULL,
	"kpi_credit" integer DEFAULT 0 NOT NULL,
	"tasks" text[] NOT NULL,
	"eligible_tiers" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_items_menu" CHECK ("catalog_items"."menu" in ('core','free_expert')),
	CONSTRAINT "catalog_items_pricing" CHECK (("catalog_items"."pricing" = 'free' and "catalog_items"."price_minor" = 0) or ("catalog_items"."pricing" = 'paid' and "catalog_items"."price_minor" > 0)),
	CONSTRAINT "catalog_items_money" CHECK ("catalog_items"."price_minor" >= 0 and "catalog_items"."internal_cost_minor" >= 0),
	CONSTRAINT "catalog_items_tasks" CHECK (cardinality("catalog_items"."tasks") > 0 and "catalog_items"."tasks" <@ array['capture','incubate','closeness','solution','price','behaviour']::text[]),
	CONSTRAINT "catalog_items_tiers" CHECK (cardinality("catalog_items"."eligible_tiers") > 0 and "catalog_items"."eligible_tiers" <@ array['A','B','C','D','E']::text[])
);
--> statement-breakpoint
CREATE TABLE "value_add_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"budget_ratio_bp" integer DEFAULT 200 NOT NULL,
	"overflow_policy" text DEFAULT 'refuse' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_add_settings_ratio" CHECK ("value_add_settings"."budget_ratio_bp" between 0 and 10000),
	CONSTRAINT "value_add_settings_policy" CHECK ("value_add_settings"."overflow_policy" in ('refuse','approval'))
);
--> statement-breakpoint
CREATE TABLE "value_add_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"catalog_item_id" uuid NOT NULL,
	"title" text NOT NULL,
	"tasks" text[] NOT NULL,
	"owner_id" uuid,
	"due_on" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"outcome" text,
	"metrics_moved" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_add_tasks_status" CHECK ("value_add_tasks"."status" in ('planned','scheduled','done','evaluated','cancelled')),
	CONSTRAINT "value_add_tasks_metrics" CHECK ("value_add_tasks"."metrics_moved" <@ array['closeness','solution','price','behaviour']::text[])
);
--> statement-breakpoint
CREATE TABLE "csat_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"owner_id" uuid,
	"team_id" uuid,
	"score" integer NOT NULL,
	"comment" text,
	"by_kind" text NOT NULL,
	"by_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "csat_responses_ticket_id_unique" UNIQUE("ticket_id"),
	CONSTRAINT "csat_score" CHECK ("csat_responses"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "key_moment_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"cause" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_moment_events_cause" CHECK ("key_moment_events"."cause" in ('complaint','major_issue')),
	CONSTRAINT "key_moment_events_status" CHECK ("key_moment_events"."status" in ('open','meeting_scheduled','done'))
);
--> statement-breakpoint
CREATE TABLE "sla_calendars" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"working_days" integer[] NOT NULL,
	"periods" jsonb NOT NULL,
	"holidays" text[] DEFAULT '{}'::text[] NOT NULL,
	"extra_workdays" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_minutes" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"met_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	CONSTRAINT "sla_clocks_kind" CHECK ("sla_clocks"."kind" in ('first_response','next_response','resolution')),
	CONSTRAINT "sla_clocks_target" CHECK ("sla_clocks"."target_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sla_escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"clock_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"recipient_role" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"workspace_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"severity" text NOT NULL,
	"first_response_minutes" integer NOT NULL,
	"next_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"warn_pct" integer DEFAULT 80 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_tier" CHECK ("sla_policies"."tier" in ('A','B','C','D','E')),
	CONSTRAINT "sla_policies_severity" CHECK ("sla_policies"."severity" in ('critical','high','medium','low')),
	CONSTRAINT "sla_policies_targets" CHECK ("sla_policies"."first_response_minutes" > 0 and "sla_policies"."next_response_minutes" > 0 and "sla_policies"."resolution_minutes" >= "sla_policies"."first_response_minutes"),
	CONSTRAINT "sla_policies_warn" CHECK ("sla_policies"."warn_pct" between 1 and 99)
);
--> statement-breakpoint
CREATE TABLE "ticket_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by_kind" text NOT NULL,
	"uploaded_by_id" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_attachments_size" CHECK ("ticket_attachments"."size_bytes" between 1 and 5242880),
	CONSTRAINT "ticket_attachments_visibility" CHECK ("ticket_attachments"."visibility" in ('public','internal'))
);
--> statement-breakpoint
CREATE TABLE "ticket_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_owner_id" uuid,
	"to_owner_id" uuid,
	"from_status" text,
	"to_status" text,
	"reason" jsonb,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"visibility" text NOT NULL,
	"author_kind" text NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_messages_visibility" CHECK ("ticket_messages"."visibility" in ('public','internal')),
	CONSTRAINT "ticket_messages_internal_staff" CHECK ("ticket_messages"."visibility" = 'public' or "ticket_messages"."author_kind" = 'staff')
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"channel" text NOT NULL,
	"product" text,
	"contract_no" text,
	"requester_kind" text NOT NULL,
	"requester_user_id" uuid,
	"requester_key_person_id" uuid,
	"requester_name" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner_id" uuid,
	"team_id" uuid,
	"accountable_id" uuid,
	"tier_at_creation" text NOT NULL,
	"priority" text NOT NULL,
	"dispatch_rule" text NOT NULL,
	"dispatch_reason" jsonb NOT NULL,
	"policy" jsonb NOT NULL,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"major" boolean DEFAULT false NOT NULL,
	"last_public_from" text,
	"resolution" text,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_kind" CHECK ("tickets"."kind" in ('product_issue','expert_request','customisation','complaint','new_need')),
	CONSTRAINT "tickets_severity" CHECK ("tickets"."severity" in ('critical','high','medium','low')),
	CONSTRAINT "tickets_channel" CHECK ("tickets"."channel" in ('portal','phone','email','meeting','staff')),
	CONSTRAINT "tickets_status" CHECK ("tickets"."status" in ('open','in_progress','waiting_customer','resolved','closed')),
	CONSTRAINT "tickets_requester" CHECK (("tickets"."requester_kind" = 'staff' and "tickets"."requester_user_id" is not null) or ("tickets"."requester_kind" = 'key_person' and "tickets"."requester_key_person_id" is not null)),
	CONSTRAINT "tickets_resolved" CHECK ("tickets"."status" not in ('resolved','closed') or "tickets"."resolved_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "value_actuals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"period" text NOT NULL,
	"value" numeric(20, 6) NOT NULL,
	"source" text DEFAULT 'form' NOT NULL,
	"note" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_actuals_period" CHECK ("value_actuals"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "value_actuals_source" CHECK ("value_actuals"."source" in ('form','import'))
);
--> statement-breakpoint
CREATE TABLE "value_indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"solution_type" text NOT NULL,
	"key" text NOT NULL,
	"stage" text NOT NULL,
	"dimension" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"formula" text NOT NULL,
	"params" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_indicators_direction" CHECK ("value_indicators"."direction" in ('up','down'))
);
--> statement-breakpoint
CREATE TABLE "value_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"indicator_id" uuid NOT NULL,
	"key" text NOT NULL,
	"stage" text NOT NULL,
	"dimension" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"unit" text NOT NULL,
	"direction" text NOT NULL,
	"formula" text NOT NULL,
	"params" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"param_values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"baseline" numeric(20, 6) NOT NULL,
	"baseline_period" text NOT NULL,
	"target" numeric(20, 6) NOT NULL,
	"internal_note" text,
	"sort" integer DEFAULT 0 NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_items_direction" CHECK ("value_items"."direction" in ('up','down')),
	CONSTRAINT "value_items_period" CHECK ("value_items"."baseline_period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "value_items_target" CHECK (("value_items"."direction" = 'down' and "value_items"."target" < "value_items"."baseline") or ("value_items"."direction" = 'up' and "value_items"."target" > "value_items"."baseline"))
);
--> statement-breakpoint
CREATE TABLE "value_promises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"booking_id" uuid NOT NULL,
	"item_ids" uuid[] NOT NULL,
	"created_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_on" date,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"due_reminded_at" timestamp with time zone,
	"overdue_notified_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"escalated_to_id" uuid,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_items_status" CHECK ("action_items"."status" in ('open','done','cancelled')),
	CONSTRAINT "action_items_source" CHECK ("action_items"."source" in ('manual','summary'))
);
--> statement-breakpoint
CREATE TABLE "meeting_attendees" (
	"workspace_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"response" text DEFAULT 'needs_action' NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "meeting_attendees_meeting_id_user_id_pk" PRIMARY KEY("meeting_id","user_id"),
	CONSTRAINT "meeting_attendees_response" CHECK ("meeting_attendees"."response" in ('needs_action','accepted','declined','tentative'))
);
--> statement-breakpoint
CREATE TABLE "meeting_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"meeting_id" uuid,
	"action_item_id" uuid,
	"title" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"rrule" text NOT NULL,
	"first_starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"organizer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_series_status" CHECK ("meeting_series"."status" in ('active','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "meeting_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"smtp_host" text,
	"smtp_port" integer,
	"smtp_secure" boolean DEFAULT false NOT NULL,
	"smtp_user" text,
	"smtp_password" text,
	"smtp_from" text,
	"llm_base_url" text,
	"llm_model" text,
	"llm_api_key" text,
	"meeting_reminder_minutes" integer DEFAULT 30 NOT NULL,
	"due_reminder_hours" integer DEFAULT 24 NOT NULL,
	"escalate_after_days" integer DEFAULT 2 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"cause" text NOT NULL,
	"title" text NOT NULL,
	"agenda" text DEFAULT '' NOT NULL,
	"location" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"series_id" uuid,
	"recurrence_start" timestamp with time zone,
	"key_moment_event_id" uuid,
	"ticket_id" uuid,
	"organizer_id" uuid NOT NULL,
	"minutes" text,
	"minutes_updated_at" timestamp with time zone,
	"minutes_by_id" uuid,
	"summary_status" text DEFAULT 'none' NOT NULL,
	"summary" jsonb,
	"summarised_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_kind" CHECK ("meetings"."kind" in ('key_moment','periodic','ad_hoc')),
	CONSTRAINT "meetings_status" CHECK ("meetings"."status" in ('scheduled','held','cancelled')),
	CONSTRAINT "meetings_summary_status" CHECK ("meetings"."summary_status" in ('none','pending','done')),
	CONSTRAINT "meetings_times" CHECK ("meetings"."ends_at" > "meetings"."starts_at"),
	CONSTRAINT "meetings_periodic_series" CHECK (("meetings"."kind" = 'periodic') = ("meetings"."series_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "key_person_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"key_person_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_person_tokens_purpose" CHECK ("key_person_tokens"."purpose" in ('invite','reset'))
);
--> statement-breakpoint
CREATE TABLE "portal_demand_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"demand_id" uuid NOT NULL,
	"author_kind" text NOT NULL,
	"author_key_person_id" uuid,
	"author_user_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_demand_messages_author" CHECK (("portal_demand_messages"."author_kind" = 'key_person' and "portal_demand_messages"."author_key_person_id" is not null) or ("portal_demand_messages"."author_kind" = 'staff' and "portal_demand_messages"."author_user_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "portal_demands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"key_person_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opportunity_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_demands_status" CHECK ("portal_demands"."status" in ('open','answered','closed'))
);
--> statement-breakpoint
CREATE TABLE "portal_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"project" text NOT NULL,
	"title" text NOT NULL,
	"due_on" text,
	"done_on" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_milestones_status" CHECK ("portal_milestones"."status" in ('planned','in_progress','done','delayed'))
);
--> statement-breakpoint
CREATE TABLE "portal_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"body_html" text DEFAULT '' NOT NULL,
	"hot" boolean DEFAULT false NOT NULL,
	"tasks" text[] DEFAULT '{}'::text[] NOT NULL,
	"event_on" text,
	"published_at" timestamp with time zone,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_posts_kind" CHECK ("portal_posts"."kind" in ('news','event','product','solution'))
);
--> statement-breakpoint
CREATE TABLE "portal_signals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"key_person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid,
	"label" text NOT NULL,
	"tasks" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_signals_kind" CHECK ("portal_signals"."kind" in ('view','request','discuss'))
);
--> statement-breakpoint
CREATE TABLE "behaviour_facts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"aspect" text NOT NULL,
	"content" text NOT NULL,
	"source" text NOT NULL,
	"learned_on" date NOT NULL,
	"recorded_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "behaviour_facts_aspect" CHECK ("behaviour_facts"."aspect" in ('budget_cycle','decision_process','procurement_habits','key_person_preferences')),
	CONSTRAINT "behaviour_facts_source" CHECK ("behaviour_facts"."source" in ('private_visit','meeting','portal'))
);
--> statement-breakpoint
CREATE TABLE "relationship_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"score" integer NOT NULL,
	"evidence" text NOT NULL,
	"assessor_id" uuid NOT NULL,
	"assessed_on" date NOT NULL,
	"source_kind" text DEFAULT 'manual' NOT NULL,
	"source_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relationship_assessments_metric" CHECK ("relationship_assessments"."metric" in ('closeness','solution_acceptance','price_acceptance')),
	CONSTRAINT "relationship_assessments_score" CHECK ("relationship_assessments"."score" between 1 and 5),
	CONSTRAINT "relationship_assessments_source" CHECK ("relationship_assessments"."source_kind" in ('manual','meeting','visit','portal'))
);
--> statement-breakpoint
CREATE TABLE "account_health" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"band" text NOT NULL,
	"trend" text NOT NULL,
	"groups" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_health_band" CHECK ("account_health"."band" in ('green','amber','red')),
	CONSTRAINT "account_health_score" CHECK ("account_health"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "follow_up_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"owner_id" uuid,
	"reason" text NOT NULL,
	"detail" jsonb NOT NULL,
	"score" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	CONSTRAINT "follow_up_tasks_status" CHECK ("follow_up_tasks"."status" in ('open','done'))
);
--> statement-breakpoint
CREATE TABLE "health_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"band" text NOT NULL,
	"groups" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"cause" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_models" (
	"workspace_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"weights" jsonb NOT NULL,
	"amber_below" integer NOT NULL,
	"red_below" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "health_models_workspace_id_scope_pk" PRIMARY KEY("workspace_id","scope"),
	CONSTRAINT "health_models_scope" CHECK ("health_models"."scope" = 'workspace' or "health_models"."scope" ~ '^tier:[A-E]$' or "health_models"."scope" ~ '^stage:(handover|startup|adaptation|renewal|churn)$'),
	CONSTRAINT "health_models_bands" CHECK (0 < "health_models"."red_below" and "health_models"."red_below" < "health_models"."amber_below" and "health_models"."amber_below" <= 100)
);
--> statement-breakpoint
CREATE TABLE "kpi_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"weights" jsonb NOT NULL,
	"restrict_personal" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_partners" ADD CONSTRAINT "channel_partners_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_lead_id_users_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_channel_partner_id_channel_partners_id_fk" FOREIGN KEY ("channel_partner_id") REFERENCES "public"."channel_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_channel_partner_id_channel_partners_id_fk" FOREIGN KEY ("channel_partner_id") REFERENCES "public"."channel_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_sales_id_users_id_fk" FOREIGN KEY ("sales_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_delivery_id_users_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_after_sales_id_users_id_fk" FOREIGN KEY ("after_sales_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_csm_id_users_id_fk" FOREIGN KEY ("csm_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grading_models" ADD CONSTRAINT "grading_models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_person_logins" ADD CONSTRAINT "key_person_logins_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_person_logins" ADD CONSTRAINT "key_person_logins_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_person_logins" ADD CONSTRAINT "key_person_logins_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_history" ADD CONSTRAINT "ladder_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_history" ADD CONSTRAINT "ladder_history_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_links" ADD CONSTRAINT "relationship_links_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_links" ADD CONSTRAINT "relationship_links_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_links" ADD CONSTRAINT "relationship_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_links" ADD CONSTRAINT "relationship_links_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_transitions" ADD CONSTRAINT "stage_transitions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_transitions" ADD CONSTRAINT "stage_transitions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_history" ADD CONSTRAINT "tier_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_history" ADD CONSTRAINT "tier_history_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_captured_by_id_users_id_fk" FOREIGN KEY ("captured_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_events" ADD CONSTRAINT "opportunity_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_events" ADD CONSTRAINT "opportunity_events_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_budgets" ADD CONSTRAINT "account_budgets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_budgets" ADD CONSTRAINT "account_budgets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_focus" ADD CONSTRAINT "account_focus_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_focus" ADD CONSTRAINT "account_focus_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_focus" ADD CONSTRAINT "account_focus_chosen_by_id_users_id_fk" FOREIGN KEY ("chosen_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_catalog_item_id_catalog_items_id_fk" FOREIGN KEY ("catalog_item_id") REFERENCES "public"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_task_id_value_add_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."value_add_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_budget_id_account_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."account_budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_bookings" ADD CONSTRAINT "value_add_bookings_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_settings" ADD CONSTRAINT "value_add_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_tasks" ADD CONSTRAINT "value_add_tasks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_tasks" ADD CONSTRAINT "value_add_tasks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_tasks" ADD CONSTRAINT "value_add_tasks_catalog_item_id_catalog_items_id_fk" FOREIGN KEY ("catalog_item_id") REFERENCES "public"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_tasks" ADD CONSTRAINT "value_add_tasks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_add_tasks" ADD CONSTRAINT "value_add_tasks_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_responses" ADD CONSTRAINT "csat_responses_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_moment_events" ADD CONSTRAINT "key_moment_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_moment_events" ADD CONSTRAINT "key_moment_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_moment_events" ADD CONSTRAINT "key_moment_events_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_calendars" ADD CONSTRAINT "sla_calendars_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_clock_id_sla_clocks_id_fk" FOREIGN KEY ("clock_id") REFERENCES "public"."sla_clocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_escalations" ADD CONSTRAINT "sla_escalations_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester_user_id_users_id_fk" FOREIGN KEY ("requester_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("requester_key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_accountable_id_users_id_fk" FOREIGN KEY ("accountable_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_actuals" ADD CONSTRAINT "value_actuals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_actuals" ADD CONSTRAINT "value_actuals_item_id_value_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."value_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_actuals" ADD CONSTRAINT "value_actuals_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_indicators" ADD CONSTRAINT "value_indicators_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_items" ADD CONSTRAINT "value_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_items" ADD CONSTRAINT "value_items_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_items" ADD CONSTRAINT "value_items_indicator_id_value_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."value_indicators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_items" ADD CONSTRAINT "value_items_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_promises" ADD CONSTRAINT "value_promises_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_promises" ADD CONSTRAINT "value_promises_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_promises" ADD CONSTRAINT "value_promises_booking_id_value_add_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."value_add_bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_promises" ADD CONSTRAINT "value_promises_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_escalated_to_id_users_id_fk" FOREIGN KEY ("escalated_to_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notifications" ADD CONSTRAINT "meeting_notifications_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notifications" ADD CONSTRAINT "meeting_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notifications" ADD CONSTRAINT "meeting_notifications_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_notifications" ADD CONSTRAINT "meeting_notifications_action_item_id_action_items_id_fk" FOREIGN KEY ("action_item_id") REFERENCES "public"."action_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_organizer_id_users_id_fk" FOREIGN KEY ("organizer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_settings" ADD CONSTRAINT "meeting_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_series_id_meeting_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."meeting_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_key_moment_event_id_key_moment_events_id_fk" FOREIGN KEY ("key_moment_event_id") REFERENCES "public"."key_moment_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_organizer_id_users_id_fk" FOREIGN KEY ("organizer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_minutes_by_id_users_id_fk" FOREIGN KEY ("minutes_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_person_tokens" ADD CONSTRAINT "key_person_tokens_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_person_tokens" ADD CONSTRAINT "key_person_tokens_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demand_messages" ADD CONSTRAINT "portal_demand_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demand_messages" ADD CONSTRAINT "portal_demand_messages_demand_id_portal_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."portal_demands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demand_messages" ADD CONSTRAINT "portal_demand_messages_author_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("author_key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demand_messages" ADD CONSTRAINT "portal_demand_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demands" ADD CONSTRAINT "portal_demands_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demands" ADD CONSTRAINT "portal_demands_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_demands" ADD CONSTRAINT "portal_demands_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_milestones" ADD CONSTRAINT "portal_milestones_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_milestones" ADD CONSTRAINT "portal_milestones_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_posts" ADD CONSTRAINT "portal_posts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_posts" ADD CONSTRAINT "portal_posts_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_signals" ADD CONSTRAINT "portal_signals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_signals" ADD CONSTRAINT "portal_signals_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_signals" ADD CONSTRAINT "portal_signals_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_facts" ADD CONSTRAINT "behaviour_facts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_facts" ADD CONSTRAINT "behaviour_facts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_facts" ADD CONSTRAINT "behaviour_facts_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_assessments" ADD CONSTRAINT "relationship_assessments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_assessments" ADD CONSTRAINT "relationship_assessments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationship_assessments" ADD CONSTRAINT "relationship_assessments_assessor_id_users_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_tasks" ADD CONSTRAINT "follow_up_tasks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_tasks" ADD CONSTRAINT "follow_up_tasks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_tasks" ADD CONSTRAINT "follow_up_tasks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_tasks" ADD CONSTRAINT "follow_up_tasks_closed_by_id_users_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_history" ADD CONSTRAINT "health_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_history" ADD CONSTRAINT "health_history_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_models" ADD CONSTRAINT "health_models_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_settings" ADD CONSTRAINT "kpi_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_partners_ws_name" ON "channel_partners" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "team_members_user" ON "team_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_ws_name" ON "teams" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_ws" ON "users" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "audit_ws_at" ON "audit_log" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE INDEX "audit_entity" ON "audit_log" USING btree ("workspace_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "jobs_due" ON "jobs" USING btree ("status","run_at") WHERE "jobs"."status" in ('queued','running');--> statement-breakpoint
CREATE INDEX "sessions_principal" ON "sessions" USING btree ("principal_kind","principal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_ws_name" ON "accounts" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "accounts_ws_tier" ON "accounts" USING btree ("workspace_id","tier");--> statement-breakpoint
CREATE INDEX "accounts_ws_stage" ON "accounts" USING btree ("workspace_id","stage");--> statement-breakpoint
CREATE INDEX "accounts_ws_channel" ON "accounts" USING btree ("workspace_id","channel_partner_id");--> statement-breakpoint
CREATE INDEX "contacts_account" ON "contacts" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_person_logins_email" ON "key_person_logins" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "key_person_logins_account" ON "key_person_logins" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "ladder_history_account" ON "ladder_history" USING btree ("account_id","at");--> statement-breakpoint
CREATE INDEX "relationship_links_account" ON "relationship_links" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "relationship_links_pair" ON "relationship_links" USING btree ("user_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "segments_ws_name" ON "segments" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "stage_transitions_account" ON "stage_transitions" USING btree ("account_id","at");--> statement-breakpoint
CREATE INDEX "tier_history_account" ON "tier_history" USING btree ("account_id","at");--> statement-breakpoint
CREATE INDEX "opportunities_ws_stage" ON "opportunities" USING btree ("workspace_id","stage");--> statement-breakpoint
CREATE INDEX "opportunities_account" ON "opportunities" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "opportunities_source" ON "opportunities" USING btree ("workspace_id","source_kind","source_id");--> statement-breakpoint
CREATE INDEX "opportunity_events_opp" ON "opportunity_events" USING btree ("opportunity_id","at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_ws" ON "webhook_deliveries" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "account_budgets_year" ON "account_budgets" USING btree ("workspace_id","account_id","fiscal_year");--> statement-breakpoint
CREATE UNIQUE INDEX "account_focus_period" ON "account_focus" USING btree ("workspace_id","account_id","period");--> statement-breakpoint
CREATE INDEX "value_add_bookings_account" ON "value_add_bookings" USING btree ("workspace_id","account_id","fiscal_year");--> statement-breakpoint
CREATE INDEX "value_add_bookings_status" ON "value_add_bookings" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_items_ws_code" ON "catalog_items" USING btree ("workspace_id","code");--> statement-breakpoint
CREATE INDEX "catalog_items_ws_menu" ON "catalog_items" USING btree ("workspace_id","menu","position");--> statement-breakpoint
CREATE INDEX "value_add_tasks_account" ON "value_add_tasks" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "value_add_tasks_item" ON "value_add_tasks" USING btree ("workspace_id","catalog_item_id","status");--> statement-breakpoint
CREATE INDEX "csat_account" ON "csat_responses" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_moment_events_once" ON "key_moment_events" USING btree ("ticket_id","cause");--> statement-breakpoint
CREATE INDEX "key_moment_events_account" ON "key_moment_events" USING btree ("workspace_id","account_id","created_at");--> statement-breakpoint
CREATE INDEX "sla_clocks_ticket" ON "sla_clocks" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "sla_clocks_breach_scan" ON "sla_clocks" USING btree ("due_at") WHERE "sla_clocks"."breached_at" is null and "sla_clocks"."met_at" is null and "sla_clocks"."due_at" is not null;--> statement-breakpoint
CREATE INDEX "sla_clocks_warn_scan" ON "sla_clocks" USING btree ("warn_at") WHERE "sla_clocks"."warned_at" is null and "sla_clocks"."breached_at" is null and "sla_clocks"."met_at" is null and "sla_clocks"."warn_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_escalations_once" ON "sla_escalations" USING btree ("clock_id","recipient_id");--> statement-breakpoint
CREATE INDEX "sla_escalations_recipient" ON "sla_escalations" USING btree ("workspace_id","recipient_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_key" ON "sla_policies" USING btree ("workspace_id","tier","severity");--> statement-breakpoint
CREATE INDEX "ticket_attachments_ticket" ON "ticket_attachments" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_history_ticket" ON "ticket_history" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "ticket_messages_ticket" ON "ticket_messages" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_ws_status" ON "tickets" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "tickets_ws_owner" ON "tickets" USING btree ("workspace_id","owner_id");--> statement-breakpoint
CREATE INDEX "tickets_ws_team" ON "tickets" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE INDEX "tickets_ws_account" ON "tickets" USING btree ("workspace_id","account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_number" ON "tickets" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "value_actuals_item_period" ON "value_actuals" USING btree ("item_id","period");--> statement-breakpoint
CREATE INDEX "value_actuals_ws" ON "value_actuals" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "value_indicators_ws_key" ON "value_indicators" USING btree ("workspace_id","solution_type","key");--> statement-breakpoint
CREATE UNIQUE INDEX "value_items_account_indicator" ON "value_items" USING btree ("account_id","indicator_id");--> statement-breakpoint
CREATE INDEX "value_items_ws_account" ON "value_items" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "value_promises_booking" ON "value_promises" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "value_promises_ws_account" ON "value_promises" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "action_items_owner" ON "action_items" USING btree ("workspace_id","owner_id","status");--> statement-breakpoint
CREATE INDEX "action_items_meeting" ON "action_items" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "action_items_due" ON "action_items" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "meeting_attendees_user" ON "meeting_attendees" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_notifications_once" ON "meeting_notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "meeting_notifications_user" ON "meeting_notifications" USING btree ("workspace_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "meeting_series_ws_account" ON "meeting_series" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "meetings_ws_starts" ON "meetings" USING btree ("workspace_id","starts_at");--> statement-breakpoint
CREATE INDEX "meetings_ws_account" ON "meetings" USING btree ("workspace_id","account_id","starts_at");--> statement-breakpoint
CREATE INDEX "meetings_series" ON "meetings" USING btree ("series_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_key_moment_once" ON "meetings" USING btree ("key_moment_event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "key_person_tokens_hash" ON "key_person_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "key_person_tokens_kp" ON "key_person_tokens" USING btree ("key_person_id");--> statement-breakpoint
CREATE INDEX "portal_demand_messages_demand" ON "portal_demand_messages" USING btree ("demand_id","created_at");--> statement-breakpoint
CREATE INDEX "portal_demands_account" ON "portal_demands" USING btree ("workspace_id","account_id","last_activity_at");--> statement-breakpoint
CREATE INDEX "portal_milestones_account" ON "portal_milestones" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "portal_posts_ws" ON "portal_posts" USING btree ("workspace_id","kind","published_at");--> statement-breakpoint
CREATE INDEX "portal_signals_account" ON "portal_signals" USING btree ("workspace_id","account_id","created_at");--> statement-breakpoint
CREATE INDEX "behaviour_facts_account" ON "behaviour_facts" USING btree ("workspace_id","account_id","learned_on");--> statement-breakpoint
CREATE INDEX "relationship_assessments_account" ON "relationship_assessments" USING btree ("workspace_id","account_id","assessed_on");--> statement-breakpoint
CREATE INDEX "relationship_assessments_assessor" ON "relationship_assessments" USING btree ("workspace_id","assessor_id","assessed_on");--> statement-breakpoint
CREATE INDEX "account_health_ws_band" ON "account_health" USING btree ("workspace_id","band","score");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_tasks_one_open" ON "follow_up_tasks" USING btree ("account_id","reason") WHERE "follow_up_tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "follow_up_tasks_owner" ON "follow_up_tasks" USING btree ("workspace_id","owner_id","status");--> statement-breakpoint
CREATE INDEX "health_history_account" ON "health_history" USING btree ("workspace_id","account_id","computed_at");