// Calls one row of the route table as a given client, with the ids of a given world.
import type { Client, Outcome } from './http-client';
import { fillPath } from './routes-catalogue';
import { ROUTES, type Body, type RouteRule, type World } from './route-table';

export interface Row {
	id: string;
	kind: 'load' | 'action' | 'endpoint';
	path: string;
	/** Action name or HTTP method. */
	name?: string;
	rule: RouteRule;
}

export function parseRow(id: string, rule: RouteRule): Row {
	const action = id.match(/^action (\S+)\?\/(\S+)$/);
	if (action) return { id, kind: 'action', path: action[1], name: action[2], rule };
	const load = id.match(/^load (\S+)$/);
	if (load) return { id, kind: 'load', path: load[1], rule };
	const endpoint = id.match(/^([A-Z]+) (\S+)$/);
	if (endpoint) return { id, kind: 'endpoint', path: endpoint[2], name: endpoint[1], rule };
	throw new Error(`unreadable route id ${id}`);
}

export const ROWS: Row[] = Object.entries(ROUTES).map(([id, rule]) => parseRow(id, rule));

/** Rows under `/teams/[teamId=uuid]`. */
export const TEAM_ROWS = ROWS.filter((r) => r.path.startsWith('/teams/[teamId=uuid]'));

export function urlOf(row: Row, world: World, query = ''): string {
	return fillPath(row.path, world as unknown as Record<string, string>) + query;
}

export async function call(
	client: Client,
	row: Row,
	world: World,
	options: { enhanced?: boolean; body?: Body; query?: string } = {}
): Promise<Outcome> {
	const url = urlOf(row, world, options.query);
	if (row.kind === 'action') {
		const body = options.body ?? row.rule.body?.(world) ?? {};
		return client.post(url, row.name ?? 'default', body, { enhanced: options.enhanced });
	}
	if (row.kind === 'endpoint' && row.name !== 'GET') {
		return client.post(url, null, options.body ?? row.rule.body?.(world) ?? {});
	}
	return client.get(url);
}

/** Every refusal found, named, so one failure lists them all. */
export class Findings {
	readonly problems: string[] = [];
	add(row: Row | string, message: string) {
		this.problems.push(`${typeof row === 'string' ? row : row.id}: ${message}`);
	}
	toString() {
		return this.problems.join('\n');
	}
}
