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
  /** False when the data lives only in this process's memory and is lost with it. */
  readonly durable: boolean;
  /**
   * Appends a revocation and returns it as stored, with its cursor. Revocations become visible
   * in cursor order: none commits after one with a higher cursor. A principal or grant
   * revocation's `issuedBefore` is raised, when needed, to one second past the latest `iat` the
   * issuance log holds for that principal or grant, so tokens from a replica whose clock runs
   * ahead are covered too.
   */
  addRevocation(revocation: Revocation): Promise<StoredRevocation>;
  /** Revocations after `since` (exclusive; `undefined` for all), oldest first, at most `limit`. */
  revocationsSince(since: string | undefined, limit: number): Promise<StoredRevocation[]>;
  /**
   * Which revocation log cursors belong to, and how far it goes. `epoch` is created with the
   * store and kept in it: a durable store keeps it across restarts, a new or in-memory store
   * starts a new one, and cursors of two epochs are unrelated. `cursor` is the newest
   * revocation's, `"0"` when there is none.
   */
  revocationLog(): Promise<{ readonly epoch: string; readonly cursor: string }>;
  /** Records an issued token; commits either before or after any concurrent revocation. */
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
