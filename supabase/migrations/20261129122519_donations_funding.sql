CREATE TABLE "donation_allocations" (
	"donation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	"distributed" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "donation_allocations_pk" PRIMARY KEY("donation_id","group_id"),
	CONSTRAINT "donation_allocations_allocated_range" CHECK (allocated between 0 and 100000),
	CONSTRAINT "donation_allocations_distributed_nonnegative" CHECK ("donation_allocations"."distributed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "donation_allocations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "donations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"unit" text NOT NULL,
	"donor_name" text,
	"donor_kind" text DEFAULT 'other' NOT NULL,
	"pledged" integer NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"distributed" integer DEFAULT 0 NOT NULL,
	"holder_id" uuid,
	"pledged_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "donations_id_event_unique" UNIQUE("id","event_id"),
	CONSTRAINT "donations_category_known" CHECK (category in ('books', 'exercise_books', 'stationery', 'small_gifts', 'sports_equipment', 'other')),
	CONSTRAINT "donations_donor_kind_known" CHECK (donor_kind in ('classmate', 'college', 'company', 'community', 'other')),
	CONSTRAINT "donations_description_length" CHECK (char_length(btrim("donations"."description")) between 1 and 120),
	CONSTRAINT "donations_unit_length" CHECK (char_length(btrim("donations"."unit")) between 1 and 10),
	CONSTRAINT "donations_donor_name_length" CHECK ("donations"."donor_name" is null or char_length(btrim("donations"."donor_name")) between 1 and 60),
	CONSTRAINT "donations_pledged_range" CHECK (pledged between 1 and 100000),
	CONSTRAINT "donations_received_within_pledged" CHECK ("donations"."received" between 0 and "donations"."pledged"),
	CONSTRAINT "donations_distributed_within_received" CHECK ("donations"."distributed" between 0 and "donations"."received")
);
--> statement-breakpoint
ALTER TABLE "donations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "funding_budgets" (
	"event_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"category" text NOT NULL,
	"amount_fen" integer NOT NULL,
	CONSTRAINT "funding_budgets_pk" PRIMARY KEY("event_id","direction","category"),
	CONSTRAINT "funding_budgets_category_known" CHECK ((direction = 'income' and category in ('college_sponsorship', 'company_sponsorship', 'volunteer_fundraising', 'other')) or (direction = 'expense' and category in ('gifts', 'materials', 'transport', 'food', 'printing', 'other'))),
	CONSTRAINT "funding_budgets_amount_range" CHECK (amount_fen between 0 and 1000000000)
);
--> statement-breakpoint
ALTER TABLE "funding_budgets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "funding_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"category" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"occurred_on" date NOT NULL,
	"note" text,
	"receipt_ref" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "funding_entries_category_known" CHECK ((direction = 'income' and category in ('college_sponsorship', 'company_sponsorship', 'volunteer_fundraising', 'other')) or (direction = 'expense' and category in ('gifts', 'materials', 'transport', 'food', 'printing', 'other'))),
	CONSTRAINT "funding_entries_amount_range" CHECK (amount_fen between 1 and 1000000000),
	CONSTRAINT "funding_entries_note_length" CHECK ("funding_entries"."note" is null or char_length("funding_entries"."note") <= 200),
	CONSTRAINT "funding_entries_receipt_length" CHECK ("funding_entries"."receipt_ref" is null or char_length("funding_entries"."receipt_ref") <= 60)
);
--> statement-breakpoint
ALTER TABLE "funding_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"thanks" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "sponsors_event_name_unique" UNIQUE("event_id","name"),
	CONSTRAINT "sponsors_name_length" CHECK (char_length(btrim("sponsors"."name")) between 1 and 80),
	CONSTRAINT "sponsors_thanks_length" CHECK (char_length(btrim("sponsors"."thanks")) between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "sponsors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "donation_allocations" ADD CONSTRAINT "donation_allocations_donation_fk" FOREIGN KEY ("donation_id","event_id") REFERENCES "public"."donations"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donation_allocations" ADD CONSTRAINT "donation_allocations_group_fk" FOREIGN KEY ("group_id","event_id") REFERENCES "public"."event_groups"("id","event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donations" ADD CONSTRAINT "donations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donations" ADD CONSTRAINT "donations_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donations" ADD CONSTRAINT "donations_pledged_by_users_id_fk" FOREIGN KEY ("pledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donations" ADD CONSTRAINT "donations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_budgets" ADD CONSTRAINT "funding_budgets_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_entries" ADD CONSTRAINT "funding_entries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_entries" ADD CONSTRAINT "funding_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "donation_allocations_group_idx" ON "donation_allocations" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "donations_event_idx" ON "donations" USING btree ("event_id","category");--> statement-breakpoint
CREATE INDEX "funding_entries_event_idx" ON "funding_entries" USING btree ("event_id","occurred_on");