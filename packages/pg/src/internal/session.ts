import type { Decision } from "@pulse/core";
import type { GuardSettings } from "./settings.js";

/** The part of a node-postgres client the guard drives itself. */
export interface RawClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
  getTransactionStatus?(): string | null;
}

// What each connection was last pinned to. Several guards (other search paths, other tenants)
// may share one pool, so a connection pinned by one guard is not pinned for another.
const pinned = new WeakMap<object, string>();

/** True when this guard's session settings are the ones last pinned on this connection. */
export function isPinned(client: object, settings: GuardSettings): boolean {
  return pinned.get(client) === settings.pinSql;
}

/** Pins the session settings again, whatever happened to the connection before. */
export async function pin(client: RawClient, settings: GuardSettings): Promise<void> {
  pinned.delete(client);
  await client.query(settings.pinSql);
  pinned.set(client, settings.pinSql);
}

/**
 * Per hand-out state of a guarded client: which token's claims are set in the current
 * transaction, so that `pulse.claims` is set once per transaction and token.
 */
export class ClaimsState {
  #jti: string | undefined;

  /** Sets `pulse.claims` for the current transaction when it is not set for this token yet. */
  async apply(client: RawClient, decision: Decision | undefined): Promise<void> {
    const status = client.getTransactionStatus?.();
    if (status !== "T") {
      if (status !== "E") this.#jti = undefined;
      return;
    }

    const claims = decision?.claims;
    if (claims === undefined || claims.jti === this.#jti) return;
    const sql = "SELECT pg_catalog.set_config('pulse.claims', $1, true)";
    await client.query(sql, [JSON.stringify(claims)]);
    this.#jti = claims.jti;
  }
}
