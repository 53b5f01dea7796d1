// Starts what the server process needs once: the environment and the migrated database.
import { readEnv, type Env } from './env';
import { initDatabase, type DbHandle } from './db';
import { bundledMigrations, localBootstrap } from './db/bundled-migrations';

let env: Env | undefined;

export function appEnv(): Env {
	env ??= readEnv();
	return env;
}

export function startApp(): Promise<DbHandle> {
	return initDatabase(appEnv(), {
		migrations: bundledMigrations,
		bootstrap: localBootstrap,
		log: (line) => console.log(`[db] ${line}`)
	});
}
