CREATE TYPE "public"."attendance_session" AS ENUM('day', 'meeting');--> statement-breakpoint
CREATE TYPE "public"."check_in_method" AS ENUM('code', 'link', 'manual');--> statement-breakpoint
CREATE TYPE "public"."incident_category" AS ENUM('injury', 'child_safety', 'lost_item', 'conflict', 'venue', 'other');--> statement-breakpoint
CREATE TYPE "public"."incident_severity" AS ENUM('low', 'medium', 'high', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('open', 'acknowledged', 'resolved');--> statement-breakpoint
CREATE TABLE "attendance" (
	"event_id" uuid NOT NULL,
	"session" "attendance_session" NOT NULL,
	"user_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"method" "check_in_method" NOT NULL,
	"checked_in_by" uuid,
	"checked_out_at" timestamp with time zone,
	"checked_out_by" uuid,
	CONSTRAINT "attendance_one_per_session" PRIMARY KEY("event_id","session","user_id"),
	CONSTRAINT "attendance_out_after_in" CHECK ("attendance"."checked_out_at" is null or "attendance"."checked_out_at" >= "attendance"."checked_in_at")
);
--> statement-breakpoint
ALTER TABLE "attendance" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "day_settings" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"code_secret" text NOT NULL,
	"late_after_minutes" integer DEFAULT 15 NOT NULL,
	"meeting_time" time DEFAULT '19:00' NOT NULL,
	"escalate_after_minutes" integer DEFAULT 5 NOT NULL,
	"retention_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "day_settings_secret_length" CHECK (char_length("day_settings"."code_secret") >= 32),
	CONSTRAINT "day_settings_late_range" CHECK ("day_settings"."late_after_minutes" between 0 and 240),
	CONSTRAINT "day_settings_escalate_range" CHECK ("day_settings"."escalate_after_minutes" between 1 and 120),
	CONSTRAINT "day_settings_retention_range" CHECK ("day_settings"."retention_days" between 1 and 3650)
);
--> statement-breakpoint
ALTER TABLE "day_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"reporter_id" uuid,
	"category" "incident_category" NOT NULL,
	"severity" "incident_severity" NOT NULL,
	"description" text,
	"place" text,
	"group_id" uuid,
	"status" "incident_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" text,
	"erased_at" timestamp with time zone,
	CONSTRAINT "incidents_description_length" CHECK ("incidents"."description" is null or char_length(btrim("incidents"."description")) between 1 and 2000),
	CONSTRAINT "incidents_place_length" CHECK ("incidents"."place" is null or char_length("incidents"."place") <= 120),
	CONSTRAINT "incidents_resolution_length" CHECK ("incidents"."resolution" is null or char_length("incidents"."resolution") <= 2000),
	CONSTRAINT "incidents_text_or_erased" CHECK ("incidents"."description" is not null or "incidents"."erased_at" is not null),
	CONSTRAINT "incidents_state_stamps" CHECK (("incidents"."status" = 'open' and "incidents"."acknowledged_at" is null and "incidents"."resolved_at" is null)
				or ("incidents"."status" = 'acknowledged' and "incidents"."acknowledged_at" is not null and "incidents"."resolved_at" is null)
				or ("incidents"."status" = 'resolved' and "incidents"."acknowledged_at" is not null and "incidents"."resolved_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "incidents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_checked_out_by_users_id_fk" FOREIGN KEY ("checked_out_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "day_settings" ADD CONSTRAINT "day_settings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_group_id_event_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."event_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendance_user_idx" ON "attendance" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "incidents_event_created_idx" ON "incidents" USING btree ("event_id","created_at");