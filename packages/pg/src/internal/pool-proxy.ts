import type { Pool, PoolClient } from "pg";
import { PulsePgError } from "../errors.js";
import { proxyClient } from "./client-proxy.js";
import type { StatementGate } from "./gate.js";
import { readQueryCall, settle } from "./query-call.js";
import { isPinned, pin } from "./session.js";

type AnyFunction = (...args: unknown[]) => unknown;
type ConnectCallback = (error: Error | undefined, client?: PoolClient, done?: unknown) => void;

async function poolQuery(pool: Pool, gate: StatementGate, args: unknown[]): Promise<unknown> {
  const call = readQueryCall(args);
  // Denied statements never take a connection.
  await gate.admit(call.text);

  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    if (!isPinned(client, gate.settings)) await pin(client, gate.settings);
    const query = client.query as unknown as AnyFunction;
    return await query.apply(client, call.args as unknown[]);
  } catch (error) {
    // As pg-pool does in its own `query`: a client that failed is not reused.
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure);
  }
}

async function connect(pool: Pool, gate: StatementGate): Promise<PoolClient> {
  const client = await pool.connect();
  try {
    await pin(client, gate.settings);
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  return proxyClient(client, gate, { pinned: true });
}

/**
 * Wraps a `pg.Pool` in a Proxy: `query` and `connect` go through the gate, everything else
 * (events, `end`, counters, options) reaches the pool itself.
 */
export function proxyPool<P extends Pool>(pool: P, gate: StatementGate): P {
  const query = (...args: unknown[]) => {
    const call = readQueryCall(args);
    if (call.submittable) {
      throw new PulsePgError(
        "ERR_PULSE_PG_UNSUPPORTED_CALL",
        "query streams and cursors need a client from connect()",
      );
    }
    return settle(poolQuery(pool, gate, args), call.callback);
  };

  const connectGuarded = (callback?: ConnectCallback) => {
    const promise = connect(pool, gate);
    if (typeof callback !== "function") return promise;
    promise.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error),
    );
    return undefined;
  };

  return new Proxy(pool, {
    get(target, property) {
      if (property === "query") return query;
      if (property === "connect") return connectGuarded;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as AnyFunction).bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}
