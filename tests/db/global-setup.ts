// Prepares the migrated template: a PGlite dump (cached per set of migrations, loaded once per
// test file) or, per run, a PostgreSQL database that each test file copies with CREATE DATABASE … TEMPLATE.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { readMigrations } from '../../src/lib/server/db/fs-migrations';
import { openPostgres } from '../../src/lib/server/db';
import { pgliteVersion } from '../../src/lib/server/db/snapshot';
import { withDatabase } from './urls';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		pgTemplate: string;
		pgAdminUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const driver = project.config.env?.TEST_DB_DRIVER ?? 'pglite';
	const { migrations, bootstrap } = readMigrations();

	if (driver === 'pglite') {
		project.provide('pgliteTemplate', await pgliteTemplate(migrations, bootstrap));
		project.provide('pgTemplate', '');
		project.provide('pgAdminUrl', '');
		return;
	}

	const url = process.env.TEST_DATABASE_URL;
	if (!url) {
		throw new Error(
			'TEST_DATABASE_URL is not set. With CI=true the PostgreSQL suites must run: set it to ' +
				'postgres://postgres@127.0.0.1:5432/test (any database the user may CREATE DATABASE from).'
		);
	}
	const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
	try {
		await admin`select 1`;
	} catch (err) {
		await admin.end({ timeout: 1 });
		throw new Error(`TEST_DATABASE_URL is unreachable (${url}): ${(err as Error).message}`);
	}
	const template = `tongxing_tpl_${process.pid}_${Date.now().toString(36)}`;
	await admin.unsafe(`create database "${template}"`);
	const templateUrl = withDatabase(url, template);
	const handle = openPostgres(templateUrl, { max: 1 });
	await handle.withConnection((conn) => runMigrations(conn, migrations, { bootstrap }));
	await handle.close();
	project.provide('pgTemplate', template);
	project.provide('pgAdminUrl', url);
	project.provide('pgliteTemplate', '');

	return async () => {
		const leftovers = await admin<{ datname: string }[]>`
			select datname from pg_database where datname like ${template + '%'}`;
		for (const { datname } of leftovers) {
			await admin.unsafe(`drop database if exists "${datname}" with (force)`);
		}
		await admin.end({ timeout: 5 });
	};
}

/**
 * The migrated PGlite template as a dump file, made once per set of migrations and PGlite
 * version: PGlite's initdb and the migrations cost 5–15 s of CPU, and every PGlite project of a
 * run (db, db-smoke) and every later run on this checkout would otherwise pay them again. The
 * file is keyed by a hash of the migrations' text, so a changed migration makes a new one.
 */
async function pgliteTemplate(
	migrations: ReturnType<typeof readMigrations>['migrations'],
	bootstrap: ReturnType<typeof readMigrations>['bootstrap']
): Promise<string> {
	const version = pgliteVersion();
	const key = createHash('sha256')
		.update(JSON.stringify({ version, migrations, bootstrap }))
		.digest('hex')
		.slice(0, 16);
	const dir = resolve('node_modules/.cache/tongxing-tests');
	const file = join(dir, `pglite-template-${key}.tar`);
	if (existsSync(file)) return file;

	const pg = await PGlite.create();
	await runMigrations(
		{
			exec: async (s) => void (await pg.exec(s)),
			query: async (s, p) => (await pg.query(s, p)).rows as never[]
		},
		migrations,
		{ bootstrap }
	);
	const dump = await pg.dumpDataDir('none');
	await pg.close();
	mkdirSync(dir, { recursive: true });
	// Written beside and renamed, so a project setting up at the same time never reads half a file.
	const partial = `${file}.${process.pid}.partial`;
	writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
	renameSync(partial, file);
	return file;
}
