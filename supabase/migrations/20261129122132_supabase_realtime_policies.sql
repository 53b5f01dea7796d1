-- Supabase mode: who may receive and track presence on a private channel. Applied only where
-- the `realtime` schema exists (a Supabase project); a no-op in embedded and postgres modes.
-- Both policies call the same function our own endpoint uses, so one rule has two enforcers.
-- SELECT: members receive broadcasts and presence. INSERT: presence only — browsers never
-- broadcast; the server publishes with realtime.send(), which bypasses these policies.
do $$
begin
	if exists (select 1 from pg_namespace where nspname = 'realtime')
		and to_regclass('realtime.messages') is not null then
		execute 'drop policy if exists "tongxing members receive" on realtime.messages';
		execute $p$
			create policy "tongxing members receive" on realtime.messages
				for select to authenticated
				using (
					realtime.messages.extension in ('broadcast', 'presence')
					and public.can_read_topic((select realtime.topic()))
				)
		$p$;
		execute 'drop policy if exists "tongxing members track presence" on realtime.messages';
		execute $p$
			create policy "tongxing members track presence" on realtime.messages
				for insert to authenticated
				with check (
					realtime.messages.extension = 'presence'
					and public.can_read_topic((select realtime.topic()))
				)
		$p$;
	end if;
end
$$;
