// The PGlite smoke (project db-smoke, when the suites also run on PostgreSQL): the first test
// of each file runs, the others are skipped here because db-pg runs them all. The driver's own
// code is the same for every domain; the smoke shows each domain's statements run on PGlite.
import { beforeEach } from 'vitest';

let ran = false;
beforeEach((context) => {
	if (ran) context.skip('PGlite smoke: this file runs in full on PostgreSQL (db-pg)');
	ran = true;
});
