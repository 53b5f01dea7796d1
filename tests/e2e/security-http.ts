// Plain HTTP for the security specs: a client with its own cookie jar that sends exactly the
// headers a test gives (Origin, content type, address), and a way to start an extra server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'a good long password';

export const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** The origin of the Playwright web server (the built app, embedded mode). */
export function appOrigin(): string {
	return `http://localhost:${Number(process.env.E2E_PORT ?? 4173)}`;
}

export class Client {
	readonly cookies = new Map<string, string>();

	/** What the app calls its origin (ORIGIN); the Origin header browsers would send. */
	readonly publicOrigin: string;

	constructor(
		/** Where the requests go. */
		readonly origin: string,
		options: {
			/** Sent as X-Forwarded-For, for servers started with ADDRESS_HEADER. */
			address?: string;
			/** ORIGIN when it differs from `origin` (an https proxy in front). */
			publicOrigin?: string;
			language?: string;
		} = {}
	) {
		this.address = options.address;
		this.language = options.language;
		this.publicOrigin = options.publicOrigin ?? origin;
	}

	readonly address: string | undefined;
	readonly language: string | undefined;

	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	/** Any request; `Origin` defaults to the app's own (pass `origin: null` to leave it out). */
	async send(
		path: string,
		init: {
			method?: string;
			headers?: Record<string, string>;
			body?: BodyInit;
			origin?: string | null;
		} = {}
	): Promise<Response> {
		const headers: Record<string, string> = { ...init.headers };
		const origin = init.origin === undefined ? this.publicOrigin : init.origin;
		if (origin !== null) headers.origin = origin;
		if (this.language) headers['accept-language'] = this.language;
		if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
		if (this.address) headers['x-forwarded-for'] = this.address;
		const response = await fetch(new URL(path, this.origin), {
			method: init.method ?? 'GET',
			headers,
			body: init.body,
			redirect: 'manual'
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const at = pair.indexOf('=');
			const name = pair.slice(0, at).trim();
			const isGone =
				pair.slice(at + 1) === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
			if (isGone) this.cookies.delete(name);
			else this.cookies.set(name, pair.slice(at + 1));
		}
		return response;
	}

	/** A plain form POST as a browser without JavaScript sends it (HTML answer). */
	postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
		return this.send(path, {
			method: 'POST',
			headers: {
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				...headers
			},
			body: new URLSearchParams(form)
		});
	}

	/** The same POST as use:enhance sends it (JSON answer). */
	postEnhanced(path: string, form: Record<string, string>) {
		return this.postForm(path, form, {
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		});
	}

	async signUp(email = `sec-${unique()}@example.test`, name = '安全测试'): Promise<string> {
		const response = await this.postForm('/sign-up?/signUp', {
			email,
			displayName: name,
			password: PASSWORD
		});
		if (response.status !== 303) throw new Error(`sign-up answered ${response.status}`);
		return email;
	}

	async signIn(email: string, password = PASSWORD): Promise<Response> {
		return this.postForm('/sign-in?/signIn', { email, password });
	}

	/** Creates a team and returns its id. */
	async createTeam(name = `队-${unique()}`): Promise<string> {
		const response = await this.postForm('/teams?/create', { name });
		const id = /\/teams\/([0-9a-f-]{36})$/.exec(response.headers.get('location') ?? '')?.[1];
		if (!id) throw new Error(`team creation answered ${response.status}`);
		return id;
	}

	/** A new invite link of `teamId` (the enhanced answer carries its URL). */
	async createInvite(teamId: string, role = 'volunteer'): Promise<string> {
		const response = await this.postEnhanced(`/teams/${teamId}?/createInvite`, { role });
		const path = /\/invite\/[a-z2-7]+/.exec(await response.text())?.[0];
		if (!path) throw new Error(`invite creation answered ${response.status}`);
		return path;
	}
}

/** Starts `node server.js` on `port` with a fresh data folder (embedded mode by default). */
export async function startServer(
	port: number,
	env: Record<string, string> = {}
): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATA_DIR: mkdtempSync(join(tmpdir(), 'tongxing-security-')),
			DATABASE_URL: '',
			TONGXING_TEST_HOOKS: '',
			...env
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	for (let i = 0; i < 300; i++) {
		if (child.exitCode !== null) throw new Error(`server on ${port} exited (${child.exitCode})`);
		const ok = await fetch(`http://localhost:${port}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return child;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	child.kill();
	throw new Error(`server on ${port} did not start`);
}

export async function stopServer(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}

/** The value of one directive of a CSP header. */
export function cspDirective(csp: string | null, name: string): string[] | undefined {
	const found = csp
		?.split(';')
		.map((d) => d.trim().split(/\s+/))
		.find(([key]) => key === name);
	return found?.slice(1);
}
