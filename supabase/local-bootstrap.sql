-- What a Supabase project already has, created here for embedded and postgres modes only.
-- Never run against Supabase. Idempotent; roles are cluster-wide, so creating one may race
-- with another database's bootstrap on the same server.
do $$
declare
	role_name text;
begin
	foreach role_name in array array['anon', 'authenticated', 'service_role'] loop
		if not exists (select 1 from pg_roles where rolname = role_name) then
			begin
				execute format('create role %I nologin noinherit', role_name);
			exception when duplicate_object or unique_violation then
				null;
			end;
		end if;
	end loop;
end
$$;
--> statement-breakpoint
create schema if not exists auth;
--> statement-breakpoint
grant usage on schema auth to anon, authenticated, service_role;
--> statement-breakpoint
-- Supabase's own body of auth.uid(): the `sub` claim of the request's JWT.
create or replace function auth.uid() returns uuid
	language sql stable
	as $$
	select
		coalesce(
			nullif(current_setting('request.jwt.claim.sub', true), ''),
			(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
		)::uuid
$$;
--> statement-breakpoint
grant usage on schema public to anon, authenticated, service_role;
