-- event-staff:<uuid> joins the topics: the incident hints of an event, readable only by the
-- team's captains and by the event's group leaders whose team role still allows leading (the
-- same rule as the incidents module's). team:<uuid> and event:<uuid> are unchanged.
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
		when topic ~ '^event-staff:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then exists (
			select 1
			from public.events e
			join public.team_members m on m.team_id = e.team_id
			where e.id = substr(topic, 13)::uuid
				and m.user_id = auth.uid()
				and (
					m.role = 'captain'
					or (
						m.role = 'leader'
						and e.status <> 'draft'
						and exists (
							select 1
							from public.event_groups g
							where g.event_id = e.id
								and g.leader_id = m.user_id
						)
					)
				)
		)
		else false
	end
$$;
--> statement-breakpoint
revoke execute on function public.can_read_topic(text) from public, anon;
--> statement-breakpoint
grant execute on function public.can_read_topic(text) to authenticated, service_role;
