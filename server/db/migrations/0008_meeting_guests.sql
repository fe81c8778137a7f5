CREATE TABLE "meeting_guests" (
	"workspace_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"key_person_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_guests_meeting_id_key_person_id_pk" PRIMARY KEY("meeting_id","key_person_id")
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "guest_title" text;--> statement-breakpoint
ALTER TABLE "meeting_guests" ADD CONSTRAINT "meeting_guests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_guests" ADD CONSTRAINT "meeting_guests_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_guests" ADD CONSTRAINT "meeting_guests_key_person_id_key_person_logins_id_fk" FOREIGN KEY ("key_person_id") REFERENCES "public"."key_person_logins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_guests_key_person" ON "meeting_guests" USING btree ("workspace_id","key_person_id");