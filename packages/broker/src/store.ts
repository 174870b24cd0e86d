import type { Revocation } from "@pulse/core";
import { openSqlStore } from "./internal/sql-store.js";

/** One revocation as stored and served, with its position in the revocation log. */
export interface StoredRevocation {
  /** Position in the log; pass the last one seen as `since` to get only newer entries. */
  readonly cursor: string;
  readonly revocation: Revocation;
  /** ISO 8601 time the broker recorded it. */
  readonly time: string;
}

/** One issued token, without the token bytes. */
export interface IssuanceRecord {
  readonly jti: string;
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly grantId: string;
  readonly policyVersion: string;
  readonly kid: string;
  readonly iat: number;
  readonly exp: number;
  readonly sourceIp?: string;
}

/** One broker audit event: an issuance, a denial, a step-up, a revocation. */
export interface BrokerAuditEvent {
  readonly event: "issue" | "deny" | "step-up" | "revoke" | "identity-rejected";
  readonly principal?: string;
  readonly grantId?: string;
  readonly policyVersion?: string;
  readonly reasons?: ReadonlyArray<{ readonly code: string; readonly detail: string }>;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** One stored audit event, with its position in the audit trail. */
export interface StoredAuditEvent extends BrokerAuditEvent {
  readonly id: string;
  /** ISO 8601 time of the event. */
  readonly time: string;
}

/**
 * Where the broker keeps what must survive a restart and be shared between replicas: the
 * revocation log, the issuance log and the audit trail.
 */
export interface BrokerStore {
  /** Appends a revocation and returns it with its cursor. */
  addRevocation(revocation: Revocation): Promise<StoredRevocation>;
  /** Revocations after `since` (exclusive; `undefined` for all), oldest first, at most `limit`. */
  revocationsSince(since: string | undefined, limit: number): Promise<StoredRevocation[]>;
  recordIssuance(record: IssuanceRecord): Promise<void>;
  /** The latest `exp` of the tokens a key signed, seconds since the epoch, if any. */
  lastExpiryByKey(kid: string): Promise<number | undefined>;
  recordAudit(event: BrokerAuditEvent, time: Date): Promise<void>;
  /** Audit events after `since` (exclusive), oldest first, at most `limit`. */
  auditSince(since: string | undefined, limit: number): Promise<StoredAuditEvent[]>;
  close(): Promise<void>;
}

/** Options for {@link openStore}. */
export interface StoreOptions {
  /**
   * A PostgreSQL connection string. When absent, an in-process PGlite database is used
   * (in memory, or in `dataDir`).
   */
  readonly url?: string;
  /** PGlite data directory; ignored with `url`. Default: in memory. */
  readonly dataDir?: string;
}

/**
 * Opens the broker's PostgreSQL store and creates its tables when missing. With a `url` it uses
 * `pg` against a real server (several broker replicas may share it); without, an embedded PGlite.
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_STORE` when the database cannot be reached.
 *
 * @example
 * ```ts
 * const store = await openStore({ url: process.env.PULSE_PG_URL });
 * const broker = createBroker({ store, ... });
 * ```
 */
export function openStore(options: StoreOptions = {}): Promise<BrokerStore> {
  return openSqlStore(options);
}
