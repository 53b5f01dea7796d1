-- Who may join a realtime topic: one rule, two enforcers. Our own endpoint calls it with the
-- joining user's id set as the JWT `sub`; on Supabase the RLS policies on realtime.messages call it.
-- Topics: team:<uuid> (members of the team). event:<uuid> is added with events.
create or replace function public.can_read_topic(topic text) returns boolean
	language sql
	stable
	security definer
	set search_path = ''
	as $$
	select case
		when topic ~ '^team:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then exists (
			select 1
			from public.team_members m
			where m.team_id = substr(topic, 6)::uuid
				and m.user_id = auth.uid()
		)
		else false
	end
$$;
--> statement-breakpoint
revoke execute on function public.can_read_topic(text) from public, anon;
--> statement-breakpoint
grant execute on function public.can_read_topic(text) to authenticated, service_role;
