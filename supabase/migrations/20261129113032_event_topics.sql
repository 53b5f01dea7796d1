-- event:<uuid> joins the topics: readable by members of the event's team who may see the event,
-- the same rule as the domain layer's (captains always; everyone else once it is no longer a
-- draft). team:<uuid> is unchanged.
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
		when topic ~ '^event:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then exists (
			select 1
			from public.events e
			join public.team_members m on m.team_id = e.team_id
			where e.id = substr(topic, 7)::uuid
				and m.user_id = auth.uid()
				and (e.status <> 'draft' or m.role = 'captain')
		)
		else false
	end
$$;
--> statement-breakpoint
revoke execute on function public.can_read_topic(text) from public, anon;
--> statement-breakpoint
grant execute on function public.can_read_topic(text) to authenticated, service_role;
