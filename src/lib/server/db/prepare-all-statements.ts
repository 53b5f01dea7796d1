// Where prepared statements are allowed (not behind a transaction pooler), the postgres.js
// client handed to Drizzle prepares each distinct statement once per connection, so a query
// with parameters costs one round trip and the queries a transaction sends together share one.
// Outside a transaction a query keeps a pooled connection to itself: sharing one while a
// transaction begins on it is unsafe in postgres.js (the commit history has the details).
type Fn = (...args: unknown[]) => unknown;

const alone = () => false;

/** `sql` (a postgres.js client, or inside: a transaction or savepoint) preparing every query. */
export function preparingAll<S extends object>(sql: S, inside = false): S {
	return new Proxy(sql, {
		get(target, prop, receiver) {
			const own = Reflect.get(target, prop, receiver) as unknown;
			switch (prop) {
				case 'unsafe':
					return (query: string, params?: unknown[], options?: object) =>
						(own as Fn).call(target, query, params, {
							...options,
							prepare: true,
							...(inside ? {} : { onexecute: alone })
						});
				case 'begin':
				case 'savepoint':
					// The transaction's (or savepoint's) own client is the callback's argument.
					return (...args: unknown[]) => {
						const fn = args.pop() as (tx: object) => unknown;
						return (own as Fn).call(target, ...args, (tx: object) => fn(preparingAll(tx, true)));
					};
				default:
					return own;
			}
		}
	});
}
