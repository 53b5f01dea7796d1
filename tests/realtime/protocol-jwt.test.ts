import { describe, expect, it } from 'vitest';
import {
	MAX_TOKEN_TTL_SECONDS,
	signClaimsForTest,
	signRealtimeToken,
	verifyRealtimeToken
} from '../../src/lib/server/realtime/jwt';
import {
	decodeFrame,
	encodeFrame,
	encodeServerBroadcast,
	encodeUserBroadcast,
	parseTopic
} from '../../src/lib/server/realtime/protocol';

const SECRET = 'unit-secret';
const UUID = '0b7c6c1e-9a43-4f4e-8a51-6f0c2f3e9d11';

describe('protocol', () => {
	it('decodes the kind 3 frames supabase-js sent in the wire log', () => {
		const json = Buffer.from(
			'0301011003000136387265616c74696d653a6576656e743a316d73677b2274657874223a2268656c6c6f2066726f6d2041227d',
			'hex'
		);
		expect(decodeFrame(json, true, '2.0.0')).toEqual({
			ok: true,
			message: {
				join_ref: '6',
				ref: '8',
				topic: 'realtime:event:1',
				event: 'broadcast',
				payload: { type: 'broadcast', event: 'msg', payload: { text: 'hello from A' } }
			}
		});
		const bin = Buffer.from(
			'0301011003000036397265616c74696d653a6576656e743a3162696e010203',
			'hex'
		);
		const decoded = decodeFrame(bin, true, '2.0.0');
		expect(decoded.ok && decoded.message.payload).toEqual({
			type: 'broadcast',
			event: 'bin',
			payload: new Uint8Array([1, 2, 3])
		});
		expect(decodeFrame(bin, true, '1.0.0').ok).toBe(false);
		expect(decodeFrame(Buffer.from([4, 0, 0, 0, 0]), true, '2.0.0').ok).toBe(false);
	});

	it('encodes kind 4 exactly as the reference server did', () => {
		expect(
			encodeUserBroadcast('realtime:event:1', 'bin', new Uint8Array([1, 2, 3])).toString('hex')
		).toBe('04100300007265616c74696d653a6576656e743a3162696e010203');
		expect(encodeServerBroadcast('realtime:event:1', 'bin', new Uint8Array([1]), '1.0.0')).toBe(
			null
		);
		expect(() => encodeUserBroadcast('x'.repeat(256), 'e', {})).toThrow(RangeError);
	});

	it('round-trips text frames in both versions, with the log key order for 1.0.0', () => {
		const msg = { join_ref: '6', ref: '7', topic: 'realtime:t', event: 'phx_leave', payload: {} };
		expect(encodeFrame(msg, '2.0.0')).toBe('["6","7","realtime:t","phx_leave",{}]');
		expect(encodeFrame(msg, '1.0.0')).toBe(
			'{"join_ref":"6","ref":"7","topic":"realtime:t","event":"phx_leave","payload":{}}'
		);
		for (const vsn of ['1.0.0', '2.0.0'] as const) {
			expect(decodeFrame(encodeFrame(msg, vsn), false, vsn)).toEqual({ ok: true, message: msg });
		}
		// The 1.0.0 client writes keys in another order and may omit join_ref.
		expect(
			decodeFrame('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}', false, '1.0.0')
		).toEqual({
			ok: true,
			message: { join_ref: null, ref: '1', topic: 'phoenix', event: 'heartbeat', payload: {} }
		});
		expect(decodeFrame('["1","1","t"]', false, '2.0.0').ok).toBe(false);
		expect(decodeFrame('not json', false, '2.0.0').ok).toBe(false);
	});

	it('parses only realtime:team:<uuid> and realtime:event:<uuid>', () => {
		expect(parseTopic(`realtime:team:${UUID}`)).toEqual({
			topic: `realtime:team:${UUID}`,
			subTopic: `team:${UUID}`,
			kind: 'team',
			id: UUID
		});
		expect(parseTopic(`realtime:event:${UUID}`)?.kind).toBe('event');
		for (const bad of [
			`team:${UUID}`,
			`realtime:room:${UUID}`,
			`realtime:team:${UUID.toUpperCase()}`,
			'realtime:event:1',
			`realtime:team:${UUID}:x`
		]) {
			expect(parseTopic(bad)).toBeNull();
		}
	});
});

describe('jwt', () => {
	const now = 1_800_000_000_000;

	it('signs at most 10 minutes with sub, role, aud, iat, exp, and verifies it', async () => {
		const { token, expiresAt } = await signRealtimeToken('u1', SECRET, { ttlSeconds: 3_600, now });
		expect(expiresAt).toBe(now + MAX_TOKEN_TTL_SECONDS * 1000);
		const result = await verifyRealtimeToken(token, SECRET, { now });
		expect(result).toEqual({
			ok: true,
			claims: {
				sub: 'u1',
				role: 'authenticated',
				aud: 'authenticated',
				iat: now / 1000,
				exp: now / 1000 + 600
			}
		});
		const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
		expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
	});

	it('checks signature, then expiry, then role and audience', async () => {
		const base = { sub: 'u1', role: 'authenticated', aud: 'authenticated', exp: now / 1000 + 60 };
		const reason = async (token: string | Promise<string>) => {
			const r = await verifyRealtimeToken(await token, SECRET, { now });
			return r.ok ? 'ok' : r.reason;
		};
		expect(await reason(signClaimsForTest({ ...base, exp: now / 1000 - 5 }, 'other'))).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		expect(
			await reason(signClaimsForTest({ ...base, aud: undefined, exp: now / 1000 - 5 }, SECRET))
		).toBe('InvalidJWTToken: Token has expired 5 seconds ago');
		expect(await reason(signClaimsForTest({ ...base, role: 'anon' }, SECRET))).toMatch(/role/);
		expect(await reason(signClaimsForTest({ ...base, aud: 'other' }, SECRET))).toMatch(/audience/);
		expect(await reason(signClaimsForTest({ ...base, aud: ['x', 'authenticated'] }, SECRET))).toBe(
			'ok'
		);
		expect(await reason(signClaimsForTest({ ...base, sub: '' }, SECRET))).toMatch(/subject/);
		expect(await reason(signClaimsForTest({ ...base, exp: undefined }, SECRET))).toMatch(/exp/);
		expect(await reason('local-anon-key')).toBe(
			'MalformedJWT: The token provided is not a valid JWT'
		);
		// alg "none" with an empty signature is not a JWT we accept.
		const none = (await signClaimsForTest(base, SECRET)).split('.');
		none[0] = Buffer.from('{"alg":"none"}').toString('base64url');
		expect(await reason(`${none[0]}.${none[1]}.x`)).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		// A header without alg, a payload that is no JSON object: refused, never thrown.
		const [, body, sig] = (await signClaimsForTest(base, SECRET)).split('.');
		const noAlg = Buffer.from('{"typ":"JWT"}').toString('base64url');
		expect(await reason(`${noAlg}.${body}.${sig}`)).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		expect(await reason('a.b.c')).toBe('MalformedJWT: The token provided is not a valid JWT');
		// A tampered payload fails the signature.
		const [h, , s] = (await signClaimsForTest(base, SECRET)).split('.');
		const forged = Buffer.from(JSON.stringify({ ...base, sub: 'admin' })).toString('base64url');
		expect(await reason(`${h}.${forged}.${s}`)).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
	});

	it('refuses a well-signed token that lives longer than the 10 minutes we mint', async () => {
		const t = now / 1000;
		const claims = { sub: 'u1', role: 'authenticated', aud: 'authenticated' };
		const reason = async (extra: Record<string, unknown>) => {
			const token = await signClaimsForTest({ ...claims, ...extra }, SECRET);
			const r = await verifyRealtimeToken(token, SECRET, { now });
			return r.ok ? 'ok' : r.reason;
		};
		const tooLong = `InvalidJWTToken: Token lifetime exceeds the maximum of ${MAX_TOKEN_TTL_SECONDS} seconds`;
		// The report's token: an hour, correctly signed.
		expect(await reason({ iat: t, exp: t + 3_600 })).toBe(tooLong);
		expect(await reason({ iat: t, exp: t + MAX_TOKEN_TTL_SECONDS + 1 })).toBe(tooLong);
		// Issued long ago, still valid for a minute: it lived too long all the same.
		expect(await reason({ iat: t - 3_000, exp: t + 60 })).toBe(tooLong);
		// No iat, or one in the future, cannot stretch it: what remains is measured from now.
		expect(await reason({ exp: t + 3_600 })).toBe(tooLong);
		expect(await reason({ iat: t + 3_000, exp: t + 3_600 })).toBe(tooLong);
		// What we mint passes, also on an instance whose clock is a little behind.
		expect(await reason({ iat: t, exp: t + MAX_TOKEN_TTL_SECONDS })).toBe('ok');
		expect(await reason({ iat: t + 30, exp: t + 30 + MAX_TOKEN_TTL_SECONDS })).toBe('ok');
		expect(await reason({ exp: t + 120 })).toBe('ok');
		const minted = (await signRealtimeToken('u1', SECRET, { now })).token;
		expect((await verifyRealtimeToken(minted, SECRET, { now: now + 599_000 })).ok).toBe(true);
	});
});
