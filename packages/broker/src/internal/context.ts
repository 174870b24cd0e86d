import type { Logger } from "@pulse/core";
import type { BrokerOptions, RevocationAdmin } from "../broker.js";
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
  /** `revocationAdmins`, each with its issuer and principal class. */
  readonly revocationAdmins: readonly RevocationAdmin[];
  readonly logger: Logger;
  readonly now: () => number;
  readonly maxLifetimeSeconds: number;
  readonly jwksMaxAgeSeconds: number;
}

/**
 * Writes an audit event; a store failure is logged, and reported to the caller as `false`. Every
 * string in the event (keys too) is made storable first: PostgreSQL refuses NUL and unpaired
 * surrogates in text and JSON, and a caller who could put one into a detail would otherwise
 * keep their request out of the audit trail.
 */
export async function audit(deps: BrokerDeps, event: BrokerAuditEvent): Promise<boolean> {
  try {
    await deps.store.recordAudit(storable(event) as BrokerAuditEvent, new Date(deps.now()));
    return true;
  } catch (error) {
    deps.logger.error?.("audit write failed", { event: event.event, error: String(error) });
    return false;
  }
}

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A copy of `value` with NUL and unpaired surrogates in every string replaced by U+FFFD. Arrays
 * and plain objects are copied member by member; anything else (numbers, dates) is kept.
 */
export function storable(value: unknown): unknown {
  if (typeof value === "string") return value.replace(UNSTORABLE, "\ufffd");

  if (Array.isArray(value)) return value.map(storable);

  if (typeof value !== "object" || value === null) return value;

  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;

  const members = Object.entries(value).map(([key, member]) => [storable(key), storable(member)]);
  return Object.fromEntries(members);
}
