import { describe, expect, it } from 'vitest';
import {
	createChannelRegistry,
	type Member,
	type PresenceMetas
} from '../../src/lib/server/realtime/registry';

const TOPIC = 'realtime:event:00000000-0000-4000-8000-000000000001';
const OTHER = 'realtime:team:00000000-0000-4000-8000-000000000002';

function member(topic: string, presenceKey: string): Member & { name: string } {
	return { name: presenceKey, topic, presenceKey, presence: null };
}

describe('channel registry: joins and leaves', () => {
	it('lists the channels of each topic and forgets a topic when its last channel leaves', () => {
		const registry = createChannelRegistry<Member & { name: string }>('hub1');
		const a = member(TOPIC, 'a');
		const b = member(TOPIC, 'b');
		const c = member(OTHER, 'c');
		registry.join(a);
		registry.join(b);
		registry.join(c);
		expect([...registry.members(TOPIC)].map((m) => m.name)).toEqual(['a', 'b']);
		expect([...registry.topics()].map(([topic, set]) => [topic, set.size])).toEqual([
			[TOPIC, 2],
			[OTHER, 1]
		]);
		expect(registry.stats()).toEqual({ channels: 3, topics: 2, presences: 0 });

		expect(registry.leave(a)).toBeNull();
		expect([...registry.members(TOPIC)].map((m) => m.name)).toEqual(['b']);
		registry.leave(b);
		expect(registry.members(TOPIC).size).toBe(0);
		expect([...registry.topics()].map(([topic]) => topic)).toEqual([OTHER]);
		expect(registry.stats()).toEqual({ channels: 1, topics: 1, presences: 0 });
	});

	it('answers an empty set for a topic nobody joined', () => {
		const registry = createChannelRegistry<Member>('hub1');
		expect(registry.members('realtime:nobody').size).toBe(0);
		expect(registry.presenceState('realtime:nobody')).toEqual({});
	});
});

describe('channel registry: this instance’s presence', () => {
	it('tracks under refs prefixed by its id, replaces a re-track and reports what left', () => {
		const registry = createChannelRegistry<Member>('hub1');
		const a = member(TOPIC, 'ann');
		registry.join(a);

		const first = registry.track(a, { online_at: 1 });
		expect(first).toEqual({
			joins: { ann: { metas: [{ online_at: 1, phx_ref: 'hub11' }] } },
			leaves: {}
		});
		expect(registry.localState(TOPIC)).toEqual({
			ann: { metas: [{ online_at: 1, phx_ref: 'hub11' }] }
		});

		const second = registry.track(a, { online_at: 2 });
		expect(second).toEqual({
			joins: { ann: { metas: [{ online_at: 2, phx_ref: 'hub12', phx_ref_prev: 'hub11' }] } },
			leaves: { ann: { metas: [{ online_at: 1, phx_ref: 'hub11' }] } }
		});
		expect(registry.stats().presences).toBe(1);

		expect(registry.untrack(a)).toEqual({
			ann: { metas: [{ online_at: 2, phx_ref: 'hub12' }] }
		});
		expect(registry.untrack(a)).toBeNull();
		expect(registry.localState(TOPIC)).toEqual({});
	});

	it('groups several channels under one key and gives the presence back on leave', () => {
		const registry = createChannelRegistry<Member>('h');
		const tab1 = member(TOPIC, 'ann');
		const tab2 = member(TOPIC, 'ann');
		const other = member(OTHER, 'bob');
		for (const m of [tab1, tab2, other]) registry.join(m);
		registry.track(tab1, { tab: 1 });
		registry.track(tab2, { tab: 2 });
		registry.track(other, {});
		expect(registry.localState(TOPIC)).toEqual({
			ann: {
				metas: [
					{ tab: 1, phx_ref: 'h1' },
					{ tab: 2, phx_ref: 'h2' }
				]
			}
		});
		expect(registry.localPresence()).toEqual([
			{ topic: TOPIC, joins: registry.localState(TOPIC) },
			{ topic: OTHER, joins: { bob: { metas: [{ phx_ref: 'h3' }] } } }
		]);

		expect(registry.leave(tab1)).toEqual({ ann: { metas: [{ tab: 1, phx_ref: 'h1' }] } });
		expect(tab1.presence).toBeNull();
		expect(registry.localState(TOPIC)).toEqual({ ann: { metas: [{ tab: 2, phx_ref: 'h2' }] } });
	});

	it('makes refs that two registries never share', () => {
		const one = createChannelRegistry<Member>();
		const two = createChannelRegistry<Member>();
		expect(one.id).toMatch(/^[0-9a-f]{8}$/);
		expect(one.id).not.toBe(two.id);
	});
});

describe('channel registry: other instances’ presence', () => {
	const bobJoin = (ref: string): PresenceMetas => ({ bob: { metas: [{ phx_ref: ref, x: 1 }] } });

	it('keeps what another instance says, lists it in the state and skips joins already known', () => {
		const registry = createChannelRegistry<Member>('here');
		const a = member(TOPIC, 'ann');
		registry.join(a);
		registry.track(a, {});

		expect(registry.applyRemote('there', TOPIC, bobJoin('t1'), {})).toEqual({
			joins: bobJoin('t1'),
			leaves: {}
		});
		// A repeat (a sync answered after the diff) changes nothing.
		expect(registry.applyRemote('there', TOPIC, bobJoin('t1'), {})).toBeNull();
		expect(registry.presenceState(TOPIC)).toEqual({
			ann: { metas: [{ phx_ref: 'here1' }] },
			bob: { metas: [{ phx_ref: 't1', x: 1 }] }
		});
		// Remote presence is not this instance's own.
		expect(registry.localState(TOPIC)).toEqual({ ann: { metas: [{ phx_ref: 'here1' }] } });
		expect(registry.stats().presences).toBe(1);

		// A leave never seen, and a join without a ref, are dropped.
		expect(
			registry.applyRemote('there', TOPIC, { eve: { metas: [{}] } }, bobJoin('t9'))
		).toBeNull();
		expect(registry.applyRemote('there', TOPIC, {}, bobJoin('t1'))).toEqual({
			joins: {},
			leaves: bobJoin('t1')
		});
		expect(registry.presenceState(TOPIC)).toEqual({ ann: { metas: [{ phx_ref: 'here1' }] } });
	});

	it('ignores its own diffs echoed back', () => {
		const registry = createChannelRegistry<Member>('here');
		expect(registry.applyRemote('here', TOPIC, bobJoin('here1'), {})).toBeNull();
		expect(registry.presenceState(TOPIC)).toEqual({});
	});

	it('forgets an instance: its people leave every topic, the others stay', () => {
		const registry = createChannelRegistry<Member>('here');
		registry.applyRemote('gone', TOPIC, bobJoin('g1'), {});
		registry.applyRemote('gone', OTHER, bobJoin('g2'), {});
		registry.applyRemote('alive', TOPIC, { cy: { metas: [{ phx_ref: 'a1' }] } }, {});

		expect(registry.forgetRemote('gone')).toEqual([
			{ topic: TOPIC, leaves: bobJoin('g1') },
			{ topic: OTHER, leaves: bobJoin('g2') }
		]);
		expect(registry.forgetRemote('gone')).toEqual([]);
		expect(registry.presenceState(TOPIC)).toEqual({ cy: { metas: [{ phx_ref: 'a1' }] } });
		expect(registry.presenceState(OTHER)).toEqual({});
	});
});
