import { describe, expect, it } from 'vitest';
import { databaseDigest, publicTables } from '../../src/lib/server/db/digest';
import type { RawConnection } from '../../src/lib/server/db/migrate';
import { useTestDatabase } from './helpers';
import { makeTeam } from '../factories/teams';

const db = useTestDatabase();

describe('databaseDigest', () => {
	it('counts every public table and changes when a row does', async () => {
		const conn = <T>(fn: (c: RawConnection) => Promise<T>) => db.handle.withConnection(fn);
		const tables = await conn(publicTables);
		expect(tables).toContain('users');
		expect(tables).toContain('teams');

		const before = await conn((c) => databaseDigest(c));
		expect(Object.keys(before)).toEqual(tables);
		expect(await conn((c) => databaseDigest(c))).toEqual(before);

		await makeTeam();
		const after = await conn((c) => databaseDigest(c));
		expect(after.users.rows).toBe(before.users.rows + 1);
		expect(after.teams.md5).not.toBe(before.teams.md5);

		const partial = await conn((c) => databaseDigest(c, { except: ['users'] }));
		expect(partial.users).toBeUndefined();
		expect(partial.teams).toEqual(after.teams);
	});
});
