CREATE TABLE "realtime_topic_versions" (
	"topic" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "realtime_topic_versions" ENABLE ROW LEVEL SECURITY;