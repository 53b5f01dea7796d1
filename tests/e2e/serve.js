// The e2e web server: with E2E_FRESH_DATABASE set (a PostgreSQL URL), drops and creates that
// database first, so each Playwright worker's server starts from an empty app as the embedded
// one does on its fresh data folder; then runs the production entry as it is.
import postgres from 'postgres';

const fresh = process.env.E2E_FRESH_DATABASE;
if (fresh) {
	const url = new URL(fresh);
	const name = url.pathname.slice(1);
	url.pathname = '/postgres';
	const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists "${name}" with (force)`);
	await admin.unsafe(`create database "${name}"`);
	await admin.end({ timeout: 5 });
}
// By URL, so that type checking (svelte-check) leaves the untyped production entry alone.
await import(new URL('../../server.js', import.meta.url).href);
