CREATE TYPE "public"."contact_action" AS ENUM('recorded', 'link_created', 'link_revoked', 'confirmed', 'change_requested', 'change_accepted', 'team_replied', 'event_changed');--> statement-breakpoint
CREATE TYPE "public"."contact_state" AS ENUM('pending', 'confirmed', 'change_requested');--> statement-breakpoint
CREATE TABLE "contact_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"action" "contact_action" NOT NULL,
	"user_id" uuid,
	"is_by_contact" boolean DEFAULT false NOT NULL,
	"state_after" "contact_state" NOT NULL,
	"proposed_date" date,
	"proposed_start_time" time,
	"proposed_end_time" time,
	"proposed_venue" text,
	"note" text,
	"changes" jsonb,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "contact_history_note_length" CHECK ("contact_history"."note" is null or char_length("contact_history"."note") <= 500),
	CONSTRAINT "contact_history_venue_length" CHECK ("contact_history"."proposed_venue" is null or char_length("contact_history"."proposed_venue") <= 120),
	CONSTRAINT "contact_history_times_ordered" CHECK ("contact_history"."proposed_start_time" is null or "contact_history"."proposed_end_time" is null or "contact_history"."proposed_end_time" > "contact_history"."proposed_start_time")
);
--> statement-breakpoint
ALTER TABLE "contact_history" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "contact_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"valid_days_after" integer DEFAULT 30 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "contact_links_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "contact_links_valid_days_range" CHECK ("contact_links"."valid_days_after" between 0 and 60)
);
--> statement-breakpoint
ALTER TABLE "contact_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "event_contacts" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"name" text,
	"organization" text,
	"phone" text,
	"email" text,
	"needs_room" boolean DEFAULT false NOT NULL,
	"needs_tables" boolean DEFAULT false NOT NULL,
	"needs_electricity" boolean DEFAULT false NOT NULL,
	"needs_staff" boolean DEFAULT false NOT NULL,
	"needs_note" text,
	"shown_captain_id" uuid,
	"state" "contact_state" DEFAULT 'pending' NOT NULL,
	"state_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_contacts_details_until_erased" CHECK ("event_contacts"."erased_at" is not null or ("event_contacts"."name" is not null and "event_contacts"."phone" is not null)),
	CONSTRAINT "event_contacts_erased_means_empty" CHECK ("event_contacts"."erased_at" is null or ("event_contacts"."name" is null and "event_contacts"."organization" is null and "event_contacts"."phone" is null and "event_contacts"."email" is null)),
	CONSTRAINT "event_contacts_name_length" CHECK ("event_contacts"."name" is null or char_length(btrim("event_contacts"."name")) between 1 and 60),
	CONSTRAINT "event_contacts_organization_length" CHECK ("event_contacts"."organization" is null or char_length("event_contacts"."organization") <= 120),
	CONSTRAINT "event_contacts_phone_length" CHECK ("event_contacts"."phone" is null or char_length("event_contacts"."phone") <= 24),
	CONSTRAINT "event_contacts_email_length" CHECK ("event_contacts"."email" is null or char_length("event_contacts"."email") <= 254),
	CONSTRAINT "event_contacts_needs_note_length" CHECK ("event_contacts"."needs_note" is null or char_length("event_contacts"."needs_note") <= 500)
);
--> statement-breakpoint
ALTER TABLE "event_contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contact_history" ADD CONSTRAINT "contact_history_event_id_event_contacts_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event_contacts"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_history" ADD CONSTRAINT "contact_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_links" ADD CONSTRAINT "contact_links_event_id_event_contacts_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event_contacts"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_links" ADD CONSTRAINT "contact_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_contacts" ADD CONSTRAINT "event_contacts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_contacts" ADD CONSTRAINT "event_contacts_shown_captain_id_users_id_fk" FOREIGN KEY ("shown_captain_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_history_event_at_idx" ON "contact_history" USING btree ("event_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_links_one_live_idx" ON "contact_links" USING btree ("event_id") WHERE "contact_links"."revoked_at" is null;