CREATE TABLE "inbound_email_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"inbound_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "inbound_email_files_size" CHECK ("inbound_email_files"."size_bytes" between 1 and 5242880)
);
--> statement-breakpoint
CREATE TABLE "inbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"source" text NOT NULL,
	"from_email" text NOT NULL,
	"from_name" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"in_reply_to" text,
	"status" text NOT NULL,
	"reason" text,
	"ticket_id" uuid,
	"skipped_files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_emails_source" CHECK ("inbound_emails"."source" in ('imap','smtp')),
	CONSTRAINT "inbound_emails_status" CHECK ("inbound_emails"."status" in ('triage','ticketed','ignored'))
);
--> statement-breakpoint
CREATE TABLE "support_mailboxes" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"imap_host" text,
	"imap_port" integer,
	"imap_tls" boolean DEFAULT true NOT NULL,
	"imap_user" text,
	"imap_password" text,
	"imap_folder" text DEFAULT 'INBOX' NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_mailboxes_port" CHECK ("support_mailboxes"."imap_port" is null or "support_mailboxes"."imap_port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "ticket_email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_email_messages_direction" CHECK ("ticket_email_messages"."direction" in ('in','out'))
);
--> statement-breakpoint
CREATE TABLE "ticket_email_threads" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"contact_id" uuid,
	"subject" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_requester";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "requester_email" text;--> statement-breakpoint
ALTER TABLE "inbound_email_files" ADD CONSTRAINT "inbound_email_files_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_email_files" ADD CONSTRAINT "inbound_email_files_inbound_id_inbound_emails_id_fk" FOREIGN KEY ("inbound_id") REFERENCES "public"."inbound_emails"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_mailboxes" ADD CONSTRAINT "support_mailboxes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_messages" ADD CONSTRAINT "ticket_email_messages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_messages" ADD CONSTRAINT "ticket_email_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_threads" ADD CONSTRAINT "ticket_email_threads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_threads" ADD CONSTRAINT "ticket_email_threads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_threads" ADD CONSTRAINT "ticket_email_threads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_email_threads" ADD CONSTRAINT "ticket_email_threads_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_email_files_mail" ON "inbound_email_files" USING btree ("inbound_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_emails_message" ON "inbound_emails" USING btree ("workspace_id","message_id");--> statement-breakpoint
CREATE INDEX "inbound_emails_status" ON "inbound_emails" USING btree ("workspace_id","status","received_at");--> statement-breakpoint
CREATE INDEX "inbound_emails_sender" ON "inbound_emails" USING btree ("workspace_id",lower("from_email"),"received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "support_mailboxes_address" ON "support_mailboxes" USING btree (lower("address"));--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_email_messages_id" ON "ticket_email_messages" USING btree ("workspace_id","message_id");--> statement-breakpoint
CREATE INDEX "ticket_email_messages_ticket" ON "ticket_email_messages" USING btree ("ticket_id","created_at");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester" CHECK (("tickets"."requester_kind" = 'staff' and "tickets"."requester_user_id" is not null) or ("tickets"."requester_kind" = 'key_person' and "tickets"."requester_key_person_id" is not null) or ("tickets"."requester_kind" = 'email' and "tickets"."requester_email" is not null));