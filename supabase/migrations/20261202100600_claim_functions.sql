-- The claim and the withdrawal, each one database call (issue 19): what the transactions of
-- src/lib/server/tasks/signups.ts did in five round trips, in the same order: the membership,
-- the event (for share: it cannot close meanwhile), the task row (for update: one writer per
-- task), the idempotency key, the counters, the sign-up, the key, and the hint last (its
-- version row is the last lock taken).
--
-- Errors are raised with custom SQLSTATEs and the message catalogue's code as their message;
-- src/lib/server/tasks/sql-errors.ts maps them to the domain errors:
--   TX400 Invalid, TX403 Forbidden, TX404 NotFound, TX409 Conflict.
-- Any other error is a bug, not a user error.
--
-- The hint is built here exactly as src/lib/server/realtime/publish.ts builds it: a jsonb
-- (whose text form is canonical, so the same keys and values give the same bytes) with the
-- topic's bumped version; sent with pg_notify on `channel`, or with realtime.send on Supabase
-- (channel null).
create or replace function public.tongxing_publish_hint(hint_topic text, body jsonb, channel text)
	returns bigint
	language plpgsql
	set search_path = ''
	as $$
declare
	v bigint;
	payload jsonb;
begin
	insert into public.realtime_topic_versions as r (topic, version) values (hint_topic, 1)
		on conflict (topic) do update set version = r.version + 1
		returning r.version into v;
	payload := body || jsonb_build_object('version', v);
	if channel is null then
		-- private = true: only members whom the realtime.messages policies admit receive it.
		perform realtime.send(payload, 'hint', hint_topic, true);
	else
		perform pg_notify(
			channel,
			(jsonb_build_object('topic', hint_topic, 'event', 'hint', 'payload', payload))::text
		);
	end if;
	return v;
end
$$;
--> statement-breakpoint
-- The hint of a sign-up change: kinds tasks and signups, the task and the people whose
-- placement moved, and the task's new counters (makeHint's shape; at most 50 ids).
create or replace function public.tongxing_task_hint_body(
	task_id uuid,
	user_ids uuid[],
	taken integer,
	capacity integer,
	waiting integer
)
	returns jsonb
	language sql
	immutable
	set search_path = ''
	as $$
	select jsonb_build_object('kinds', jsonb_build_array('tasks', 'signups'))
		|| case
			when cardinality(ids.list) <= 50 then jsonb_build_object('ids', to_jsonb(ids.list))
			else '{}'::jsonb
		end
		|| jsonb_build_object(
			'counts',
			jsonb_build_object(
				task_id::text,
				jsonb_build_object(
					'taken', taken,
					'capacity', capacity,
					'waiting', waiting,
					'full', case when taken >= capacity then 1 else 0 end
				)
			)
		)
	from (
		-- The task first, then the people, each once, in the order given.
		select array(
			select u.id
			from unnest(array[task_id] || coalesce(user_ids, '{}')) with ordinality as u(id, n)
			group by u.id
			order by min(u.n)
		) as list
	) ids
$$;
--> statement-breakpoint
-- The member and the event, as requireEvent(..., 'share') and openTaskEvent judge them: a
-- non-member learns nothing (teams), a draft is hidden from all but captains (events), a
-- finished or cancelled event is closed.
create or replace function public.tongxing_open_task_event(
	actor_id uuid,
	team_id uuid,
	event_id uuid
)
	returns public.events
	language plpgsql
	set search_path = ''
	as $$
declare
	member_role public.team_role;
	e public.events;
begin
	select m.role into member_role
	from public.team_members m
	where m.team_id = tongxing_open_task_event.team_id and m.user_id = actor_id;
	if not found then
		raise exception using errcode = 'TX404', message = 'teams_error_not_found';
	end if;
	select * into e
	from public.events ev
	where ev.id = tongxing_open_task_event.event_id and ev.team_id = tongxing_open_task_event.team_id
	for share;
	if not found or (e.status = 'draft' and member_role <> 'captain') then
		raise exception using errcode = 'TX404', message = 'events_error_not_found';
	end if;
	if e.status in ('completed', 'cancelled') then
		raise exception using errcode = 'TX409', message = 'events_error_closed';
	end if;
	return e;
end
$$;
--> statement-breakpoint
-- Moves the waitlist positions above `after` by `delta`; `(task, position)` is checked row by
-- row, so the rows step out of the way first (to their negatives) and then land.
create or replace function public.tongxing_shift_waitlist(task_id uuid, after_position integer, delta integer)
	returns void
	language sql
	set search_path = ''
	as $$
	update public.task_signups s set position = -s.position
	where s.task_id = tongxing_shift_waitlist.task_id and s.status = 'waiting' and s.position > after_position;
	update public.task_signups s set position = -s.position + delta
	where s.task_id = tongxing_shift_waitlist.task_id and s.status = 'waiting' and s.position < 0;
$$;
--> statement-breakpoint
-- Claims a slot, or a place at the end of the line when the task is full. A repeat of `key`
-- answers as the first did (the counters as read under the lock, the topic's version as it
-- is now) and changes nothing. `overlaps`: the claimant's other claims in this event whose
-- times overlap (a warning), as [{taskId, title}]. `version` 0: nothing was published.
create or replace function public.tongxing_claim(
	actor_id uuid,
	team_id uuid,
	event_id uuid,
	task_id uuid,
	key uuid,
	now_at timestamptz,
	channel text,
	out signup_id uuid,
	out status text,
	out "position" integer,
	out taken integer,
	out capacity integer,
	out waiting integer,
	out version bigint,
	out overlaps jsonb
)
	language plpgsql
	set search_path = ''
	as $$
declare
	t public.tasks;
	target record;
	stored public.task_claim_keys;
	existing record;
	free boolean;
	moved record;
	kept integer;
begin
	perform public.tongxing_open_task_event(actor_id, team_id, event_id);
	-- The overlaps need no lock; the task's absence is judged here, as before.
	select tk.date, tk.start_time, tk.end_time into target
	from public.tasks tk
	where tk.id = tongxing_claim.task_id and tk.event_id = tongxing_claim.event_id;
	if not found then
		raise exception using errcode = 'TX404', message = 'tasks_error_not_found';
	end if;
	-- In time order (then title, id): every request of one key answers with the same list.
	select coalesce(
		jsonb_agg(
			jsonb_build_object('taskId', o.id, 'title', o.title)
			order by o.start_time, o.title, o.id
		),
		'[]'::jsonb
	)
	into overlaps
	from public.task_signups s
	join public.tasks o on o.id = s.task_id
	where s.event_id = tongxing_claim.event_id
		and s.user_id = actor_id
		and s.status = 'claimed'
		and s.task_id <> tongxing_claim.task_id
		and o.date = target.date
		and o.start_time < target.end_time
		and target.start_time < o.end_time;
	-- Requests with the same key for this task queue here, so the later ones find its row (each
	-- statement below reads what committed before it began).
	select * into t
	from public.tasks tk
	where tk.id = tongxing_claim.task_id and tk.event_id = tongxing_claim.event_id
	for update;
	if not found then
		raise exception using errcode = 'TX404', message = 'tasks_error_not_found';
	end if;
	taken := t.taken;
	capacity := t.capacity;
	waiting := t.waiting;
	version := 0;
	select * into stored
	from public.task_claim_keys k
	where k.user_id = actor_id and k.key = tongxing_claim.key;
	if found then
		if stored.task_id <> t.id or stored.signup_id is null then
			raise exception using errcode = 'TX400', message = 'tasks_error_key_reused';
		end if;
		signup_id := stored.signup_id;
		status := stored.status;
		"position" := stored.position;
		select coalesce(max(r.version), 0) into version
		from public.realtime_topic_versions r
		where r.topic = 'event:' || tongxing_claim.event_id::text;
		return;
	end if;
	if t.signup_opens_at is not null and t.signup_opens_at > now_at then
		raise exception using errcode = 'TX409', message = 'tasks_error_not_open_yet';
	end if;
	select s.id, s.status, s.position into existing
	from public.task_signups s
	where s.task_id = t.id and s.user_id = actor_id and s.status in ('claimed', 'waiting');
	if found then
		signup_id := existing.id;
		status := existing.status;
		"position" := existing.position;
		insert into public.task_claim_keys (user_id, key, task_id, signup_id, status, position)
			values (actor_id, tongxing_claim.key, t.id, signup_id, status, "position")
			on conflict do nothing;
		get diagnostics kept = row_count;
		-- The same key used at once for another task (under another lock) loses here.
		if kept = 0 then
			raise exception using errcode = 'TX400', message = 'tasks_error_key_reused';
		end if;
		return;
	end if;
	-- A slot if one is free, else the end of the line. The counter's update stays conditional:
	-- the database has the last word.
	signup_id := gen_random_uuid();
	free := t.taken < t.capacity;
	if free then
		status := 'claimed';
		"position" := null;
		update public.tasks tk set taken = tk.taken + 1
		where tk.id = t.id and tk.taken < tk.capacity
		returning tk.taken, tk.capacity, tk.waiting into moved;
	else
		status := 'waiting';
		"position" := t.waiting + 1;
		update public.tasks tk set waiting = tk.waiting + 1
		where tk.id = t.id
		returning tk.taken, tk.capacity, tk.waiting into moved;
	end if;
	-- The row was read under this lock; anything else is a bug, not a user error.
	if not found then
		raise exception 'the locked task changed';
	end if;
	if moved.taken <> t.taken + (case when free then 1 else 0 end)
		or moved.waiting <> t.waiting + (case when free then 0 else 1 end) then
		raise exception 'the locked task changed';
	end if;
	taken := moved.taken;
	capacity := moved.capacity;
	waiting := moved.waiting;
	insert into public.task_signups (id, event_id, task_id, user_id, status, position, assigned_by, claimed_at)
		values (
			signup_id, t.event_id, t.id, actor_id, status, "position", null,
			case when free then now() end
		);
	insert into public.task_claim_keys (user_id, key, task_id, signup_id, status, position)
		values (actor_id, tongxing_claim.key, t.id, signup_id, status, "position")
		on conflict do nothing;
	get diagnostics kept = row_count;
	if kept = 0 then
		raise exception using errcode = 'TX400', message = 'tasks_error_key_reused';
	end if;
	version := public.tongxing_publish_hint(
		'event:' || t.event_id::text,
		public.tongxing_task_hint_body(t.id, '{}', taken, capacity, waiting),
		channel
	);
end
$$;
--> statement-breakpoint
-- Leaves a slot or the line. Leaving a slot promotes the first in line (`promoted`: their ids);
-- a slot left within 24 hours of the event's start (or after it began) alerts the captains.
create or replace function public.tongxing_withdraw(
	actor_id uuid,
	team_id uuid,
	event_id uuid,
	task_id uuid,
	now_at timestamptz,
	channel text,
	out promoted jsonb,
	out was_late boolean,
	out taken integer,
	out capacity integer,
	out waiting integer,
	out version bigint
)
	language plpgsql
	set search_path = ''
	as $$
declare
	e public.events;
	t public.tasks;
	signup record;
	first_user uuid;
	promoted_ids uuid[] := '{}';
begin
	e := public.tongxing_open_task_event(actor_id, team_id, event_id);
	select * into t
	from public.tasks tk
	where tk.id = tongxing_withdraw.task_id and tk.event_id = tongxing_withdraw.event_id
	for update;
	if not found then
		raise exception using errcode = 'TX404', message = 'tasks_error_not_found';
	end if;
	select s.id, s.status, s.position into signup
	from public.task_signups s
	where s.task_id = t.id and s.user_id = actor_id and s.status in ('claimed', 'waiting');
	if not found then
		raise exception using errcode = 'TX404', message = 'tasks_error_not_signed_up';
	end if;
	update public.task_signups s set status = 'withdrawn', position = null, ended_at = now()
	where s.id = signup.id;
	if signup.status = 'claimed' then
		update public.tasks tk set taken = tk.taken - 1 where tk.id = t.id;
		-- The freed slot goes to the head of the line.
		update public.task_signups s set status = 'claimed', position = null, claimed_at = now()
		where s.task_id = t.id and s.status = 'waiting' and s.position = 1
		returning s.user_id into first_user;
		if first_user is not null then
			update public.tasks tk set taken = tk.taken + 1, waiting = tk.waiting - 1
			where tk.id = t.id and tk.taken < tk.capacity;
			-- The slot was freed under the same lock; anything else is a bug.
			if not found then
				raise exception 'promotion without a free slot';
			end if;
			perform public.tongxing_shift_waitlist(t.id, 1, -1);
			promoted_ids := array[first_user];
			insert into public.task_notices (user_id, event_id, task_id, kind, subject_id)
				values (first_user, t.event_id, t.id, 'promoted', null);
		end if;
	else
		update public.tasks tk set waiting = tk.waiting - 1 where tk.id = t.id;
		perform public.tongxing_shift_waitlist(t.id, coalesce(signup.position, 0), -1);
	end if;
	was_late := signup.status = 'claimed'
		and now_at >= ((e.date + e.start_time) at time zone e.time_zone) - interval '24 hours';
	if was_late then
		insert into public.task_notices (user_id, event_id, task_id, kind, subject_id)
			select m.user_id, t.event_id, t.id, 'late_withdrawal', actor_id
			from public.team_members m
			where m.team_id = tongxing_withdraw.team_id
				and m.role = 'captain'
				and m.user_id <> actor_id;
	end if;
	promoted := to_jsonb(promoted_ids);
	select tk.taken, tk.capacity, tk.waiting into taken, capacity, waiting
	from public.tasks tk
	where tk.id = t.id;
	version := public.tongxing_publish_hint(
		'event:' || t.event_id::text,
		public.tongxing_task_hint_body(t.id, promoted_ids, taken, capacity, waiting),
		channel
	);
end
$$;
--> statement-breakpoint
revoke execute on function public.tongxing_publish_hint(text, jsonb, text) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_task_hint_body(uuid, uuid[], integer, integer, integer) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_open_task_event(uuid, uuid, uuid) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_shift_waitlist(uuid, integer, integer) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_claim(uuid, uuid, uuid, uuid, uuid, timestamptz, text) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_withdraw(uuid, uuid, uuid, uuid, timestamptz, text) from public, anon, authenticated;
