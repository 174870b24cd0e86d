import type { Decision } from "@pulse/core";
import type { GuardSettings } from "./settings.js";

/** The part of a node-postgres client the guard drives itself. */
export interface RawClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
  getTransactionStatus?(): string | null;
}

/** Connections whose search_path the guard has pinned. */
const pinned = new WeakSet<object>();

/** True when the guard has pinned the search_path on this connection. */
export function isPinned(client: object): boolean {
  return pinned.has(client);
}

/** Pins the search_path again, whatever happened to the connection before. */
export async function pin(client: RawClient, settings: GuardSettings): Promise<void> {
  await client.query(settings.pinSql);
  pinned.add(client);
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
    await client.query("SELECT set_config('pulse.claims', $1, true)", [JSON.stringify(claims)]);
    this.#jti = claims.jti;
  }
}
