ALTER TABLE "realtime_topic_versions" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "realtime_topic_versions" ADD COLUMN "pending" jsonb;--> statement-breakpoint
CREATE INDEX "realtime_topic_versions_pending" ON "realtime_topic_versions" USING btree ("topic") WHERE "realtime_topic_versions"."pending" is not null;