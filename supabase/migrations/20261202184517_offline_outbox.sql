CREATE TABLE "outbox_keys" (
	"user_id" uuid NOT NULL,
	"key" uuid NOT NULL,
	"kind" text NOT NULL,
	"event_id" uuid NOT NULL,
	"result_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_keys_pk" PRIMARY KEY("user_id","key"),
	CONSTRAINT "outbox_keys_kind_known" CHECK ("outbox_keys"."kind" in ('check_in', 'check_out', 'incident', 'hand_in', 'hand_out', 'announcement'))
);
--> statement-breakpoint
ALTER TABLE "outbox_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "reported_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Reports made before this migration were received as they were sent.
UPDATE "incidents" SET "reported_at" = "created_at";--> statement-breakpoint
ALTER TABLE "outbox_keys" ADD CONSTRAINT "outbox_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_keys" ADD CONSTRAINT "outbox_keys_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_keys_event_idx" ON "outbox_keys" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reported_before_received" CHECK ("incidents"."reported_at" <= "incidents"."created_at");