// Fresh PostgreSQL databases for the specs and benchmarks that start whole servers on one: made
// with a unique name on the server of `adminUrl`, dropped (with force) afterwards; and the
// Supabase-shaped one (tests/fixtures/supabase-shape.sql) for supabase mode.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { splitStatements } from '../../src/lib/server/db/migrate';
import { withDatabase } from '../db/urls';

export interface FreshDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

/** A new, empty database named `<prefix>_<pid>_<time>` on the server of `adminUrl`. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<FreshDatabase> {
	const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
	await asAdmin(adminUrl, (admin) => admin.unsafe(`create database "${name}"`)).catch((err) => {
		throw new Error(`PostgreSQL is needed at ${adminUrl}: ${(err as Error).message}`);
	});
	return {
		url: withDatabase(adminUrl, name),
		name,
		drop: () =>
			asAdmin(adminUrl, (admin) => admin.unsafe(`drop database if exists "${name}" with (force)`))
	};
}

/** A new database shaped like a Supabase project, before any migration. */
export async function createSupabaseShapedDatabase(
	adminUrl: string,
	prefix: string
): Promise<FreshDatabase> {
	const database = await createDatabase(adminUrl, prefix);
	const shape = postgres(database.url, { max: 1, onnotice: () => {} });
	try {
		for (const statement of splitStatements(
			readFileSync('tests/fixtures/supabase-shape.sql', 'utf8')
		)) {
			await shape.unsafe(statement);
		}
	} finally {
		await shape.end();
	}
	return database;
}

async function asAdmin(adminUrl: string, fn: (admin: postgres.Sql) => Promise<unknown>) {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await fn(admin);
	} finally {
		await admin.end({ timeout: 5 });
	}
}
