CREATE TABLE "performance_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"item" text NOT NULL,
	"bringer_id" uuid,
	"is_done" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "performance_items_item_length" CHECK (char_length(btrim("performance_items"."item")) between 1 and 80)
);
--> statement-breakpoint
ALTER TABLE "performance_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "rehearsals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"date" date NOT NULL,
	"note" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "rehearsals_note_length" CHECK (char_length(btrim("rehearsals"."note")) between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "rehearsals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_claim_keys" (
	"user_id" uuid NOT NULL,
	"key" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"signup_id" uuid,
	"status" text,
	"position" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_claim_keys_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "task_claim_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"task_id" uuid,
	"kind" text NOT NULL,
	"subject_id" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "task_notices_kind_known" CHECK (kind in ('promoted', 'assigned', 'removed', 'moved_to_waitlist', 'late_withdrawal'))
);
--> statement-breakpoint
ALTER TABLE "task_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "task_signups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"position" integer,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"claimed_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "task_signups_position_unique" UNIQUE("task_id","position"),
	CONSTRAINT "task_signups_status_known" CHECK (status in ('claimed', 'waiting', 'withdrawn', 'removed')),
	CONSTRAINT "task_signups_position_iff_waiting" CHECK (("task_signups"."status" = 'waiting') = ("task_signups"."position" is not null))
);
--> statement-breakpoint
ALTER TABLE "task_signups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"group_id" uuid,
	"agenda_item_id" uuid,
	"place" text,
	"date" date NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"capacity" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"waiting" integer DEFAULT 0 NOT NULL,
	"signup_opens_at" timestamp with time zone,
	"readiness" text DEFAULT 'idea' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "tasks_id_event_unique" UNIQUE("id","event_id"),
	CONSTRAINT "tasks_title_length" CHECK (char_length(btrim("tasks"."title")) between 1 and 120),
	CONSTRAINT "tasks_description_length" CHECK ("tasks"."description" is null or char_length("tasks"."description") <= 1000),
	CONSTRAINT "tasks_place_length" CHECK ("tasks"."place" is null or char_length("tasks"."place") <= 120),
	CONSTRAINT "tasks_kind_known" CHECK (kind in ('performance', 'tutoring', 'donation', 'publicity', 'logistics', 'support', 'other')),
	CONSTRAINT "tasks_readiness_known" CHECK (readiness in ('idea', 'rehearsing', 'ready_for_check', 'approved')),
	CONSTRAINT "tasks_times_ordered" CHECK ("tasks"."end_time" > "tasks"."start_time"),
	CONSTRAINT "tasks_capacity_range" CHECK ("tasks"."capacity" between 1 and 500),
	CONSTRAINT "tasks_taken_within_capacity" CHECK ("tasks"."taken" between 0 and "tasks"."capacity"),
	CONSTRAINT "tasks_waiting_nonnegative" CHECK ("tasks"."waiting" >= 0),
	CONSTRAINT "tasks_approval_recorded" CHECK (("tasks"."readiness" = 'approved') = ("tasks"."approved_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "performance_items" ADD CONSTRAINT "performance_items_bringer_id_users_id_fk" FOREIGN KEY ("bringer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehearsals" ADD CONSTRAINT "rehearsals_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehearsals" ADD CONSTRAINT "rehearsals_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_claim_keys" ADD CONSTRAINT "task_claim_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_claim_keys" ADD CONSTRAINT "task_claim_keys_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_claim_keys" ADD CONSTRAINT "task_claim_keys_signup_id_task_signups_id_fk" FOREIGN KEY ("signup_id") REFERENCES "public"."task_signups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_notices" ADD CONSTRAINT "task_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_notices" ADD CONSTRAINT "task_notices_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_notices" ADD CONSTRAINT "task_notices_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_notices" ADD CONSTRAINT "task_notices_subject_id_users_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_signups" ADD CONSTRAINT "task_signups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_signups" ADD CONSTRAINT "task_signups_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_signups" ADD CONSTRAINT "task_signups_task_fk" FOREIGN KEY ("task_id","event_id") REFERENCES "public"."tasks"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_group_id_event_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."event_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "performance_items_task_idx" ON "performance_items" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "rehearsals_task_idx" ON "rehearsals" USING btree ("task_id","date");--> statement-breakpoint
CREATE INDEX "task_claim_keys_task_idx" ON "task_claim_keys" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "task_notices_user_event_idx" ON "task_notices" USING btree ("user_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "task_signups_one_active_idx" ON "task_signups" USING btree ("task_id","user_id") WHERE "task_signups"."status" in ('claimed', 'waiting');--> statement-breakpoint
CREATE INDEX "task_signups_user_idx" ON "task_signups" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "task_signups_event_idx" ON "task_signups" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "tasks_event_idx" ON "tasks" USING btree ("event_id","date","start_time");--> statement-breakpoint
CREATE INDEX "tasks_group_idx" ON "tasks" USING btree ("group_id");