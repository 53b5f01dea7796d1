ALTER TABLE "checklist_items" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();--> statement-breakpoint
ALTER TABLE "event_groups" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();--> statement-breakpoint
ALTER TABLE "agenda_items" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();