import type { ClientBase, Pool } from "pg";
import { proxyClient } from "./internal/client-proxy.js";
import { StatementGate } from "./internal/gate.js";
import { proxyPool } from "./internal/pool-proxy.js";
import type { PgGuardOptions } from "./options.js";

/**
 * Wraps a `pg.Pool` so that every statement is analysed with the Postgres parser and checked
 * against the capability token of the current request before it is sent. The result has the
 * pool's own API and type: promise and callback `query`, config objects, `connect()` (which
 * hands out a guarded client whose `release` works as usual), `end`, events.
 *
 * The token comes from the request scope (`runWithToken`/`runInScope` of `@pulse/core/scope`)
 * or from `options.token`. In `enforce` mode a denied statement is never sent: the call fails
 * with a `PulseDeniedError` (`code` `ERR_PULSE_DENIED`, `reason` the deny reason). In `shadow`
 * mode it runs and the would-be denial goes to the verifier's audit sink.
 *
 * Every connection the guard hands out gets `search_path = pg_catalog, <searchPath>, pg_temp`
 * (on `connect()` each time, on `query()` once per physical connection).
 *
 * > **Warning**
 * > The guard sees statements, not what the database does with them: views, triggers, rules,
 * > column defaults and functions granted by name run with whatever they contain. Keep other
 * > code from using the same pool unguarded. See docs/pg.md for the full list of limits.
 *
 * @param pool - The pool to wrap. It is not changed; keep using the returned object.
 * @param options - {@link PgGuardOptions}; `verifier` and `database` are required.
 * @returns An object with the `pg.Pool` API.
 * @throws {@link PulsePgError} `ERR_PULSE_PG_INVALID_OPTIONS` for unusable options.
 *
 * @example
 * ```ts
 * const db = guardPool(new pg.Pool({ connectionString }), { verifier, database: "appdb" });
 * await runWithToken(token, () => db.query("SELECT * FROM orders WHERE id = $1", [id]));
 * ```
 */
export function guardPool<P extends Pool>(pool: P, options: PgGuardOptions): P {
  const gate = new StatementGate(options);
  gate.useServerVersion((sql) => pool.query(sql));
  return proxyPool(pool, gate);
}

/**
 * Wraps one `pg.Client` (or a client already checked out of a pool) like {@link guardPool}
 * wraps a pool. The search_path is pinned before the first statement sent through the
 * wrapper. `release` (on a pool client) and `end` reach the client.
 *
 * @param client - The client to wrap.
 * @param options - {@link PgGuardOptions}; `verifier` and `database` are required.
 * @returns An object with the client's API.
 * @throws {@link PulsePgError} `ERR_PULSE_PG_INVALID_OPTIONS` for unusable options.
 *
 * @example
 * ```ts
 * const client = guardClient(new pg.Client({ connectionString }), { verifier, database: "appdb" });
 * await client.connect();
 * await runWithToken(token, () => client.query("SELECT count(*) FROM orders"));
 * ```
 */
export function guardClient<C extends ClientBase>(client: C, options: PgGuardOptions): C {
  const gate = new StatementGate(options);
  gate.useServerVersion((sql) => client.query(sql));
  return proxyClient(client, gate);
}
