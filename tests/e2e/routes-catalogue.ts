// The catalogue of every route and action, read from `src/routes` on disk with the TypeScript
// compiler API (the modules themselves import `$lib` and `$app`, which only Vite resolves).
// Entries look like:
//   `load /teams/[teamId=uuid]`              a page's server load (GET of the page)
//   `action /teams/[teamId=uuid]?/changeRole` a named form action (`?/default` for `default`)
//   `GET /teams/[teamId=uuid]/events/[eventId=uuid]/calendar.ics` an endpoint's method
// Route groups such as `(app)` are left out of the path, as they are of the URL.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

export type EntryKind = 'load' | 'action' | 'endpoint';

export interface CatalogueEntry {
	/** The key the tests' tables use. */
	id: string;
	kind: EntryKind;
	/** The URL pattern, e.g. `/teams/[teamId=uuid]/events/[eventId=uuid]/tasks`. */
	path: string;
	/** The action's name, or the endpoint's method. */
	name?: string;
	/** The file it was read from, relative to the routes folder. */
	file: string;
	/**
	 * An action that reads the phone outbox's fields (`outboxKey`, `waitedMs`) through
	 * `readQueued`: the route table must list them, so that hostile input reaches them too.
	 */
	readsOutbox?: boolean;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

function walk(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...walk(full));
		else out.push(full);
	}
	return out;
}

/** `(app)/teams/[teamId=uuid]/+page.server.ts` → `/teams/[teamId=uuid]`. */
export function routePath(fileFromRoutes: string): string {
	const parts = fileFromRoutes.split(sep).join('/').split('/').slice(0, -1);
	const segments = parts.filter((p) => !(p.startsWith('(') && p.endsWith(')')));
	return '/' + segments.join('/');
}

const isExported = (node: ts.Node) =>
	ts.canHaveModifiers(node) &&
	(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** `{...} satisfies Actions`, `({...}) as Actions`, `<Actions>{...}`: the object literal inside. */
function unwrap(expr: ts.Expression): ts.Expression {
	let current = expr;
	while (
		ts.isSatisfiesExpression(current) ||
		ts.isAsExpression(current) ||
		ts.isParenthesizedExpression(current) ||
		ts.isTypeAssertionExpression(current)
	) {
		current = current.expression;
	}
	return current;
}

function propertyName(name: ts.PropertyName, file: string): string {
	if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
		return name.text;
	}
	throw new Error(`${file}: an action with a computed name cannot be catalogued`);
}

/** The names exported by one module (`export const x`, `export function x`, `export { a as x }`). */
export function exportedNames(source: string, file: string): Map<string, ts.Expression | null> {
	const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const names = new Map<string, ts.Expression | null>();
	const locals = new Map<string, ts.Expression | null>();
	for (const statement of sf.statements) {
		if (ts.isVariableStatement(statement)) {
			for (const decl of statement.declarationList.declarations) {
				if (!ts.isIdentifier(decl.name)) continue;
				locals.set(decl.name.text, decl.initializer ?? null);
				if (isExported(statement)) names.set(decl.name.text, decl.initializer ?? null);
			}
		} else if (ts.isFunctionDeclaration(statement) && statement.name) {
			locals.set(statement.name.text, null);
			if (isExported(statement)) names.set(statement.name.text, null);
		} else if (
			ts.isExportDeclaration(statement) &&
			!statement.moduleSpecifier &&
			statement.exportClause &&
			ts.isNamedExports(statement.exportClause)
		) {
			for (const spec of statement.exportClause.elements) {
				const local = (spec.propertyName ?? spec.name).text;
				names.set(spec.name.text, locals.get(local) ?? null);
			}
		} else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
			throw new Error(`${file}: re-exports from another module cannot be catalogued`);
		}
	}
	return names;
}

/** The actions of `export const actions = { ... }`: each name, and its code's text. */
function actionsOf(init: ts.Expression | null, file: string): { name: string; code: string }[] {
	const object = init && unwrap(init);
	if (!object || !ts.isObjectLiteralExpression(object)) {
		throw new Error(`${file}: \`actions\` must be an object literal to be catalogued`);
	}
	return object.properties.map((p) => {
		if (ts.isSpreadAssignment(p)) {
			throw new Error(`${file}: a spread in \`actions\` cannot be catalogued`);
		}
		if (!p.name) throw new Error(`${file}: an action without a name`);
		return { name: propertyName(p.name, file), code: p.getText() };
	});
}

/** Every page load, form action and endpoint method under `routesDir`, sorted by id. */
export function readCatalogue(routesDir: string): CatalogueEntry[] {
	const entries: CatalogueEntry[] = [];
	for (const full of walk(routesDir)) {
		const file = relative(routesDir, full).split(sep).join('/');
		const base = file.split('/').pop() ?? '';
		const isPage = /^\+page\.server\.(ts|js)$/.test(base);
		const isEndpoint = /^\+server\.(ts|js)$/.test(base);
		if (!isPage && !isEndpoint) continue;
		const path = routePath(file);
		const names = exportedNames(readFileSync(full, 'utf8'), file);
		if (isPage) {
			if (names.has('load')) entries.push({ id: `load ${path}`, kind: 'load', path, file });
			if (names.has('actions')) {
				for (const { name, code } of actionsOf(names.get('actions') ?? null, file)) {
					entries.push({
						id: `action ${path}?/${name}`,
						kind: 'action',
						path,
						name,
						file,
						...(/\breadQueued\(/.test(code) ? { readsOutbox: true } : {})
					});
				}
			}
		} else {
			for (const method of METHODS) {
				if (names.has(method)) {
					entries.push({ id: `${method} ${path}`, kind: 'endpoint', path, name: method, file });
				}
			}
		}
	}
	return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface Coverage {
	/** On disk, not in the table. */
	missing: string[];
	/** In the table, no longer on disk. */
	stale: string[];
}

export function compareCatalogue(onDisk: readonly string[], table: readonly string[]): Coverage {
	const disk = new Set(onDisk);
	const known = new Set(table);
	return {
		missing: [...disk].filter((id) => !known.has(id)).sort(),
		stale: [...known].filter((id) => !disk.has(id)).sort()
	};
}

/** Throws, naming every route or action on one side only: a new route must enter the table. */
export function assertCovered(onDisk: readonly string[], table: readonly string[], what: string) {
	const { missing, stale } = compareCatalogue(onDisk, table);
	const lines: string[] = [];
	for (const id of missing) lines.push(`  on disk but missing from ${what}: ${id}`);
	for (const id of stale) lines.push(`  in ${what} but no longer on disk: ${id}`);
	if (lines.length > 0) throw new Error(`Route catalogue mismatch:\n${lines.join('\n')}`);
}

/** `/teams/[teamId=uuid]/events/[eventId=uuid]` with `{teamId, eventId}` → a concrete URL path. */
export function fillPath(pattern: string, params: Record<string, string>): string {
	return pattern.replace(/\[(?:\.\.\.)?([A-Za-z_]+)(?:=[a-z]+)?\]/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`no value for [${name}] in ${pattern}`);
		return value;
	});
}
