-- Supabase mode within its quotas (issue 18, item 5): Supabase Realtime counts every message each
-- client receives, so the hints of one topic go out at most once per REALTIME_TOPIC_MAX_RATE
-- (app_setting 'realtime_topic_max_rate_ms', written by each instance at start; 1000 when
-- absent; 0 sends every hint as it commits). The first hint after a quiet spell is sent with its
-- transaction, as before; later ones are merged into the topic's `pending` hint (under the
-- version row's lock, so every instance merges into the same one) and `tongxing_flush_hints()`,
-- which every supabase-mode instance runs a few times a second, sends it once the rate allows.
-- Self mode (pg_notify) is unchanged: the app's own endpoint merges bursts itself (HintMerger).
--
-- The strings of two jsonb arrays, each once, in the order they first appear (a's, then b's).
create or replace function public.tongxing_union_in_order(a jsonb, b jsonb)
	returns jsonb
	language sql
	immutable
	set search_path = ''
	as $$
	select coalesce(jsonb_agg(x order by o), '[]'::jsonb)
	from (
		select x, min(o) as o
		from (
			select x, o from jsonb_array_elements_text(a) with ordinality as t (x, o)
			union all
			select x, o + 1000000 from jsonb_array_elements_text(b) with ordinality as t (x, o)
		) both_sides
		group by x
	) firsts
$$;
--> statement-breakpoint
-- b came after a: kinds and ids unioned in order (ids left out, meaning "all", when either has
-- none or the union is over 50), each task's newest counters (left out when over 50 tasks),
-- versions from a's first to b's last. The same as mergeHints in src/lib/server/realtime/hints.ts.
create or replace function public.tongxing_merge_hints(a jsonb, b jsonb)
	returns jsonb
	language plpgsql
	immutable
	set search_path = ''
	as $$
declare
	merged jsonb;
	ids jsonb;
	counts jsonb;
	first_version jsonb;
	last_version jsonb;
begin
	merged := jsonb_build_object('kinds', public.tongxing_union_in_order(a -> 'kinds', b -> 'kinds'));
	if a ? 'ids' and b ? 'ids' then
		ids := public.tongxing_union_in_order(a -> 'ids', b -> 'ids');
		if jsonb_array_length(ids) <= 50 then
			merged := merged || jsonb_build_object('ids', ids);
		end if;
	end if;
	if a ? 'counts' or b ? 'counts' then
		counts := coalesce(a -> 'counts', '{}'::jsonb) || coalesce(b -> 'counts', '{}'::jsonb);
		if (select count(*) from jsonb_object_keys(counts)) <= 50 then
			merged := merged || jsonb_build_object('counts', counts);
		end if;
	end if;
	-- A version is a number or [first, last]; one side without any: the other's range.
	first_version := coalesce(a -> 'version', b -> 'version');
	last_version := coalesce(b -> 'version', a -> 'version');
	if jsonb_typeof(first_version) = 'array' then first_version := first_version -> 0; end if;
	if jsonb_typeof(last_version) = 'array' then last_version := last_version -> 1; end if;
	if first_version is not null then
		merged := merged || jsonb_build_object('version', jsonb_build_array(first_version, last_version));
	end if;
	return merged;
end
$$;
--> statement-breakpoint
create or replace function public.tongxing_topic_max_rate()
	returns interval
	language sql
	stable
	set search_path = ''
	as $$
	select coalesce(
		(select s.value::integer from public.app_setting s where s.key = 'realtime_topic_max_rate_ms'),
		1000
	) * interval '1 millisecond'
$$;
--> statement-breakpoint
-- As before (20261202100600_claim_functions.sql), but on Supabase (channel null) coalesced.
create or replace function public.tongxing_publish_hint(hint_topic text, body jsonb, channel text)
	returns bigint
	language plpgsql
	set search_path = ''
	as $$
declare
	v bigint;
	last_sent timestamptz;
	waiting jsonb;
	payload jsonb;
begin
	insert into public.realtime_topic_versions as r (topic, version) values (hint_topic, 1)
		on conflict (topic) do update set version = r.version + 1
		returning r.version, r.sent_at, r.pending into v, last_sent, waiting;
	payload := body || jsonb_build_object('version', v);
	if channel is null then
		if waiting is null
			and (last_sent is null or last_sent <= clock_timestamp() - public.tongxing_topic_max_rate()) then
			-- private = true: only members whom the realtime.messages policies admit receive it.
			perform realtime.send(payload, 'hint', hint_topic, true);
			update public.realtime_topic_versions set sent_at = clock_timestamp() where topic = hint_topic;
		else
			update public.realtime_topic_versions
				set pending = case when waiting is null then payload
					else public.tongxing_merge_hints(waiting, payload) end
				where topic = hint_topic;
		end if;
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
-- Sends each topic's merged hint whose wait is over; topics another transaction holds (a claim
-- merging into it, another instance flushing it) are skipped and come next time. Gives how many
-- messages it sent.
create or replace function public.tongxing_flush_hints()
	returns integer
	language plpgsql
	set search_path = ''
	as $$
declare
	due record;
	sent integer := 0;
begin
	for due in
		select r.topic, r.pending from public.realtime_topic_versions r
		where r.pending is not null
			and (r.sent_at is null or r.sent_at <= clock_timestamp() - public.tongxing_topic_max_rate())
		for update skip locked
	loop
		perform realtime.send(due.pending, 'hint', due.topic, true);
		update public.realtime_topic_versions
			set pending = null, sent_at = clock_timestamp()
			where topic = due.topic;
		sent := sent + 1;
	end loop;
	return sent;
end
$$;
--> statement-breakpoint
revoke execute on function public.tongxing_union_in_order(jsonb, jsonb) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_merge_hints(jsonb, jsonb) from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_topic_max_rate() from public, anon, authenticated;
--> statement-breakpoint
revoke execute on function public.tongxing_flush_hints() from public, anon, authenticated;
