import type { Logger } from "@pulse/core";
import type { BrokerOptions } from "../broker.js";
import type { BrokerPolicy } from "../policy-contract.js";
import type { RevocationPublisher } from "../publisher.js";
import type { BrokerAuditEvent, BrokerStore } from "../store.js";
import type { Authenticator } from "./authenticate.js";
import type { KeyRing } from "./keyring.js";

/** What the route handlers share, once the broker has started. */
export interface BrokerDeps {
  readonly options: BrokerOptions;
  readonly policy: BrokerPolicy;
  readonly store: BrokerStore;
  readonly keys: KeyRing;
  readonly authenticator: Authenticator;
  readonly publishers: readonly RevocationPublisher[];
  readonly logger: Logger;
  readonly now: () => number;
  readonly maxLifetimeSeconds: number;
  readonly jwksMaxAgeSeconds: number;
}

/** Writes an audit event; a store failure is logged, and reported to the caller as `false`. */
export async function audit(deps: BrokerDeps, event: BrokerAuditEvent): Promise<boolean> {
  try {
    await deps.store.recordAudit(event, new Date(deps.now()));
    return true;
  } catch (error) {
    deps.logger.error?.("audit write failed", { event: event.event, error: String(error) });
    return false;
  }
}
