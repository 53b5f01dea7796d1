CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_user_id" uuid,
	"target_event_id" uuid,
	"target_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "audit_log_action_known" CHECK (action in ('role_changed', 'member_removed', 'member_left', 'reset_link_created', 'invite_created', 'invite_revoked', 'contact_link_created', 'contact_link_revoked', 'incident_acknowledged', 'incident_resolved', 'account_deleted')),
	CONSTRAINT "audit_log_details_small_object" CHECK (jsonb_typeof("audit_log"."details") = 'object' and length("audit_log"."details"::text) <= 500)
);
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "rehearsals" DROP CONSTRAINT "rehearsals_note_length";--> statement-breakpoint
ALTER TABLE "rehearsals" ALTER COLUMN "note" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_user_id_users_id_fk" FOREIGN KEY ("target_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_event_id_events_id_fk" FOREIGN KEY ("target_event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_team_at_idx" ON "audit_log" USING btree ("team_id","at","id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_deleted_has_no_phone" CHECK ("users"."deleted_at" is null or "users"."phone" is null);--> statement-breakpoint
ALTER TABLE "rehearsals" ADD CONSTRAINT "rehearsals_note_length" CHECK ("rehearsals"."note" is null or char_length(btrim("rehearsals"."note")) between 1 and 500);