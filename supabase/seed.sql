-- `supabase db reset` runs this after the migrations on a local Supabase stack.
-- Tongxing's sample data is made through its own domain commands (`npm run demo`), so that
-- passwords are hashed and every rule holds; the seed only records that the schema is ready.
insert into public.app_setting (key, value)
values ('seeded_by', 'supabase/seed.sql')
on conflict (key) do nothing;
