import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import {
	action,
	formProblem,
	formValues,
	jsonError,
	MULTILINE_FIELDS,
	readForm
} from '../../src/lib/server/forms';
import {
	Conflict,
	Forbidden,
	Invalid,
	NotFound,
	RateLimited,
	pgErrorCode
} from '../../src/lib/server/errors';

describe('domain error mapping', () => {
	it('turns a domain error into a failed form that keeps what the user typed', async () => {
		const values = formValues(
			(() => {
				const f = new FormData();
				f.set('email', 'a@example.com');
				f.set('password', 'secret-secret');
				return f;
			})()
		);
		expect(values).toEqual({ email: 'a@example.com' });
		const result = await action(values, async () => {
			throw new Invalid('invalid', { email: ['invalid'] });
		});
		expect(result).toMatchObject({
			status: 400,
			data: { values: { email: 'a@example.com' }, fields: { email: [expect.any(String)] } }
		});
	});

	it('maps each error type to its status', async () => {
		const statuses = [];
		for (const err of [new NotFound(), new Forbidden(), new Conflict(), new RateLimited(30)]) {
			const result = await action({}, async () => {
				throw err;
			});
			statuses.push((result as { status: number }).status);
		}
		expect(statuses).toEqual([404, 403, 409, 429]);
		const response = jsonError(new RateLimited(42));
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('42');
	});

	it('lets an unexpected error through to handleError', async () => {
		await expect(
			action({}, async () => {
				throw new TypeError('boom');
			})
		).rejects.toThrow('boom');
	});

	it('finds the PostgreSQL code under a wrapped driver error', () => {
		const wrapped = Object.assign(new Error('Failed query'), { cause: { code: '23505' } });
		expect(pgErrorCode(wrapped)).toBe('23505');
		expect(pgErrorCode(new Error('plain'))).toBeUndefined();
	});
});

const post = (body: BodyInit, type = 'application/x-www-form-urlencoded') =>
	new Request('http://localhost/x', { method: 'POST', body, headers: { 'content-type': type } });

const form = (entries: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(entries)) data.set(k, v);
	return data;
};

/** The status a rejected `readForm` answered with. */
async function refusal(request: Request): Promise<number> {
	const err: unknown = await readForm({ request }).then(
		() => null,
		(e: unknown) => e
	);
	if (!isHttpError(err)) throw new Error(`expected an HTTP error, got ${String(err)}`);
	return err.status;
}

describe('reading a form body', () => {
	it('parses the body once: a second read gets the same form', async () => {
		const request = post('title=a%09b');
		const first = await readForm({ request });
		expect(first.get('title')).toBe('a\tb');
		expect(request.bodyUsed).toBe(true);
		expect(await readForm({ request })).toBe(first);
	});

	it('answers an unreadable body with 400', async () => {
		expect(await refusal(post('title=x', 'text/plain'))).toBe(400);
		expect(await refusal(post('--B\r\nbroken', 'multipart/form-data; boundary=B'))).toBe(400);
	});

	it('refuses NUL and other C0 controls in every field with 400', async () => {
		for (const body of ['displayName=a%00b', 'name=%07', 'x%00=1', 'body=a%1Bb', 'note=%0B']) {
			expect(await refusal(post(body)), body).toBe(400);
		}
	});

	it('allows tab everywhere, line breaks only in multi-line fields', () => {
		expect(formProblem(form({ title: 'a\tb', description: 'one\r\ntwo\nthree' }))).toBeNull();
		expect(formProblem(form({ title: 'one\ntwo' }))).toBe('control');
		expect(formProblem(form({ name: 'one\rtwo' }))).toBe('control');
		expect(formProblem(form({ note: 'ok\u0000' }))).toBe('control');
		expect(formProblem(form({ title: '\u007F 字 😀 \u200B' }))).toBeNull();
	});

	it('knows every textarea of the pages as a multi-line field, and no other', () => {
		const names = new Set<string>();
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) walk(path);
				else if (entry.name.endsWith('.svelte')) {
					const text = readFileSync(path, 'utf8');
					// A textarea written out, or through TextAreaField.
					for (const match of text.matchAll(
						/<(?:textarea|TextAreaField)\b[^>]*?\sname="([^"]+)"/g
					)) {
						names.add(match[1]);
					}
					// A FieldList spec made by fieldsOf: `field(key, name, label, { …, rows })`.
					for (const call of text.split(/\bfield\(/).slice(1)) {
						const name = /^\s*'[^']*',\s*'([^']+)'/.exec(call)?.[1];
						if (name && /\brows:/.test(call.split(/\]\)|\bfield\(/)[0])) names.add(name);
					}
				}
			}
		};
		walk(join(process.cwd(), 'src'));
		expect([...names].sort()).toEqual([...MULTILINE_FIELDS].sort());
	});
});
