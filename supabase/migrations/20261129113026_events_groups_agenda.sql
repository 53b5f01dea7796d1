CREATE TYPE "public"."event_status" AS ENUM('draft', 'planned', 'confirmed', 'completed', 'cancelled');--> statement-breakpoint
CREATE TABLE "announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "announcements_body_length" CHECK (char_length(btrim("announcements"."body")) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "announcements" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feeds_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "calendar_feeds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "checklist_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"title" text NOT NULL,
	"days_before" integer NOT NULL,
	"assignee_id" uuid,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_items_title_length" CHECK (char_length(btrim("checklist_items"."title")) between 1 and 120),
	CONSTRAINT "checklist_items_days_before_range" CHECK ("checklist_items"."days_before" between 0 and 365),
	CONSTRAINT "checklist_items_done_by_needs_done_at" CHECK ("checklist_items"."done_by" is null or "checklist_items"."done_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "checklist_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"title" text NOT NULL,
	"theme" text,
	"date" date NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"community_name" text,
	"venue_name" text,
	"venue_address" text,
	"meeting_point" text,
	"transport" text,
	"expected_children" integer,
	"teacher_name" text,
	"teacher_phone" text,
	"nearest_hospital" text,
	"notes" text,
	"children_per_adult" integer DEFAULT 5 NOT NULL,
	"status" "event_status" DEFAULT 'draft' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_title_length" CHECK (char_length(btrim("events"."title")) between 1 and 120),
	CONSTRAINT "events_times_ordered" CHECK ("events"."end_time" > "events"."start_time"),
	CONSTRAINT "events_children_per_adult_range" CHECK ("events"."children_per_adult" between 1 and 20),
	CONSTRAINT "events_expected_children_range" CHECK ("events"."expected_children" is null or "events"."expected_children" between 0 and 1000)
);
--> statement-breakpoint
ALTER TABLE "events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "event_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"colour" text NOT NULL,
	"leader_id" uuid,
	"children_count" integer DEFAULT 0 NOT NULL,
	"age_min" integer,
	"age_max" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_groups_event_name_unique" UNIQUE("event_id","name"),
	CONSTRAINT "event_groups_id_event_unique" UNIQUE("id","event_id"),
	CONSTRAINT "event_groups_name_length" CHECK (char_length(btrim("event_groups"."name")) between 1 and 40),
	CONSTRAINT "event_groups_colour_hex" CHECK ("event_groups"."colour" ~ '^#[0-9a-f]{6}$'),
	CONSTRAINT "event_groups_children_range" CHECK ("event_groups"."children_count" between 0 and 500),
	CONSTRAINT "event_groups_ages" CHECK (("event_groups"."age_min" is null or "event_groups"."age_min" between 0 and 18) and ("event_groups"."age_max" is null or "event_groups"."age_max" between 0 and 18) and ("event_groups"."age_min" is null or "event_groups"."age_max" is null or "event_groups"."age_min" <= "event_groups"."age_max"))
);
--> statement-breakpoint
ALTER TABLE "event_groups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "group_members" (
	"event_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_members_one_group_per_event" PRIMARY KEY("event_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "group_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "agenda_item_groups" (
	"event_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "agenda_item_groups_item_id_group_id_pk" PRIMARY KEY("item_id","group_id")
);
--> statement-breakpoint
ALTER TABLE "agenda_item_groups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"start_time" time NOT NULL,
	"duration_minutes" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"place" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agenda_items_id_event_unique" UNIQUE("id","event_id"),
	CONSTRAINT "agenda_items_title_length" CHECK (char_length(btrim("agenda_items"."title")) between 1 and 120),
	CONSTRAINT "agenda_items_duration_range" CHECK ("agenda_items"."duration_minutes" between 1 and 720),
	CONSTRAINT "agenda_items_kind_known" CHECK (kind in ('arrival', 'setup', 'meet', 'performance', 'tutoring', 'safety', 'crafts', 'support', 'photo', 'gifts', 'break', 'other'))
);
--> statement-breakpoint
ALTER TABLE "agenda_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_groups" ADD CONSTRAINT "event_groups_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_groups" ADD CONSTRAINT "event_groups_leader_id_users_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_fk" FOREIGN KEY ("group_id","event_id") REFERENCES "public"."event_groups"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_item_groups" ADD CONSTRAINT "agenda_item_groups_item_fk" FOREIGN KEY ("item_id","event_id") REFERENCES "public"."agenda_items"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_item_groups" ADD CONSTRAINT "agenda_item_groups_group_fk" FOREIGN KEY ("group_id","event_id") REFERENCES "public"."event_groups"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "announcements_event_created_idx" ON "announcements" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feeds_one_active_idx" ON "calendar_feeds" USING btree ("user_id") WHERE "calendar_feeds"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "checklist_items_event_idx" ON "checklist_items" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "events_team_date_idx" ON "events" USING btree ("team_id","date");--> statement-breakpoint
CREATE INDEX "event_groups_leader_idx" ON "event_groups" USING btree ("leader_id");--> statement-breakpoint
CREATE INDEX "group_members_group_idx" ON "group_members" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "agenda_item_groups_group_idx" ON "agenda_item_groups" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "agenda_items_event_start_idx" ON "agenda_items" USING btree ("event_id","start_time");