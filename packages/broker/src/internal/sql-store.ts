import { randomUUID } from "node:crypto";
import type { Revocation } from "@pulse/core";
import { PulseBrokerError } from "../errors.js";
import type {
  BrokerAuditEvent,
  BrokerStore,
  IssuanceRecord,
  StoredAuditEvent,
  StoredRevocation,
  StoreOptions,
} from "../store.js";

type Query = <T>(text: string, params?: unknown[]) => Promise<{ rows: T[] }>;

interface Sql {
  readonly query: Query;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The advisory lock (one bigint key, ASCII "PULSEREV") that orders the revocation log. A
 * revocation is numbered and committed while its transaction holds it exclusively, so cursors
 * become visible in cursor order; an issuance is committed while holding it shared, so it is
 * either in the log a revocation reads its cut-off from, or committed after that revocation.
 */
const REVOCATION_LOCK = "5788616816583656790";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pulse_revocations (
  cursor BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('jti', 'principal', 'grant')),
  iss TEXT NOT NULL,
  subject TEXT NOT NULL,
  issued_before BIGINT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pulse_issuance (
  jti TEXT PRIMARY KEY,
  iss TEXT NOT NULL,
  sub TEXT NOT NULL,
  aud TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  kid TEXT NOT NULL,
  iat BIGINT NOT NULL,
  exp BIGINT NOT NULL,
  source_ip TEXT
);
CREATE INDEX IF NOT EXISTS pulse_issuance_kid_exp ON pulse_issuance (kid, exp);
CREATE INDEX IF NOT EXISTS pulse_issuance_sub_iat ON pulse_issuance (sub, iat);
CREATE INDEX IF NOT EXISTS pulse_issuance_grant_iat ON pulse_issuance (grant_id, iat);
CREATE TABLE IF NOT EXISTS pulse_store (
  singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  epoch TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pulse_audit (
  id BIGSERIAL PRIMARY KEY,
  time TIMESTAMPTZ NOT NULL,
  event TEXT NOT NULL,
  principal TEXT,
  grant_id TEXT,
  policy_version TEXT,
  reasons JSONB,
  detail JSONB
);`;

async function connect(options: StoreOptions): Promise<Sql> {
  if (options.url !== undefined) {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    pool.on("error", () => undefined);
    return {
      query: async <T>(text: string, params?: unknown[]) => ({
        rows: (await pool.query(text, params)).rows as T[],
      }),
      transaction: async (work) => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await work(async (text, params) => ({
            rows: (await client.query(text, params)).rows,
          }));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch((e: Error) => (broken = e));
          throw error;
        } finally {
          client.release(broken);
        }
      },
      exec: async (text) => void (await pool.query(text)),
      close: () => pool.end(),
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(options.dataDir);
  return {
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await db.query<T>(text, params)).rows,
    }),
    transaction: (work) =>
      db.transaction((tx) =>
        work(async <T>(text: string, params?: unknown[]) => ({
          rows: (await tx.query<T>(text, params)).rows,
        })),
      ),
    exec: async (text) => void (await db.exec(text)),
    close: () => db.close(),
  };
}

/** True when the store's data lives only in this process's memory. */
function inMemory(options: StoreOptions): boolean {
  if (options.url !== undefined) return false;
  return options.dataDir === undefined || options.dataDir.startsWith("memory://");
}

/** Opens the store (see `openStore`). */
export async function openSqlStore(options: StoreOptions): Promise<BrokerStore> {
  let sql: Sql;
  try {
    sql = await connect(options);
    await sql.exec(SCHEMA);
    await sql.query("INSERT INTO pulse_store (epoch) VALUES ($1) ON CONFLICT DO NOTHING", [
      randomUUID(),
    ]);
  } catch (error) {
    throw new PulseBrokerError("ERR_PULSE_BROKER_STORE", "cannot open the broker store", {
      cause: error,
    });
  }
  return new SqlStore(sql, !inMemory(options));
}

interface RevocationRow {
  cursor: string;
  kind: "jti" | "principal" | "grant";
  iss: string;
  subject: string;
  issued_before: string | null;
  created_at: string;
}

interface AuditRow {
  id: string;
  time: string;
  event: string;
  principal: string | null;
  grant_id: string | null;
  policy_version: string | null;
  reasons: string | null;
  detail: string | null;
}

function isoTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const REVOCATION_COLUMNS =
  "cursor::text AS cursor, kind, iss, subject, issued_before::text AS issued_before, " +
  `${isoTime("created_at")} AS created_at`;

/**
 * The cut-off stored for a principal or grant revocation: the one asked for, or one second past
 * the latest `iat` in the issuance log for that principal or grant, whichever is later. A replica
 * whose clock runs ahead issues later `iat`s than the revoking replica's clock would cover.
 */
const CUT_OFF = {
  jti: "$4::bigint",
  principal:
    "GREATEST($4::bigint, (SELECT max(iat) + 1 FROM pulse_issuance WHERE iss = $2 AND sub = $3))",
  grant:
    "GREATEST($4::bigint, " +
    "(SELECT max(iat) + 1 FROM pulse_issuance WHERE iss = $2 AND grant_id = $3))",
} as const;

class SqlStore implements BrokerStore {
  readonly #sql: Sql;
  readonly durable: boolean;

  constructor(sql: Sql, durable: boolean) {
    this.#sql = sql;
    this.durable = durable;
  }

  /**
   * Numbers and commits the revocation under the exclusive revocation lock, so no revocation
   * with a lower cursor commits later; the cut-off is read from the issuance log after the lock
   * is taken, in the same transaction.
   */
  addRevocation(revocation: Revocation): Promise<StoredRevocation> {
    const [kind, subject, before] =
      "jti" in revocation
        ? (["jti", revocation.jti, null] as const)
        : "sub" in revocation
          ? (["principal", revocation.sub, revocation.issuedBefore] as const)
          : (["grant", revocation.grantId, revocation.issuedBefore] as const);
    return this.#sql.transaction(async (query) => {
      await query("SELECT pg_advisory_xact_lock($1::bigint)", [REVOCATION_LOCK]);
      const { rows } = await query<RevocationRow>(
        `INSERT INTO pulse_revocations (kind, iss, subject, issued_before)
         VALUES ($1, $2, $3, ${CUT_OFF[kind]}) RETURNING ${REVOCATION_COLUMNS}`,
        [kind, revocation.iss, subject, before],
      );
      return toStored(rows[0]!);
    });
  }

  async revocationLog(): Promise<{ epoch: string; cursor: string }> {
    const { rows } = await this.#sql.query<{ epoch: string; cursor: string }>(
      `SELECT epoch, (SELECT coalesce(max(cursor), 0)::text FROM pulse_revocations) AS cursor
       FROM pulse_store`,
    );
    return rows[0]!;
  }

  async revocationsSince(since: string | undefined, limit: number): Promise<StoredRevocation[]> {
    const { rows } = await this.#sql.query<RevocationRow>(
      `SELECT ${REVOCATION_COLUMNS} FROM pulse_revocations
       WHERE pulse_revocations.cursor > $1::bigint ORDER BY pulse_revocations.cursor LIMIT $2`,
      [since ?? "0", limit],
    );
    return rows.map(toStored);
  }

  /** One statement, committed while it holds the revocation lock shared. */
  async recordIssuance(r: IssuanceRecord): Promise<void> {
    await this.#sql.query(
      `INSERT INTO pulse_issuance
       (jti, iss, sub, aud, grant_id, policy_version, kid, iat, exp, source_ip)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::bigint, $9::bigint, $10
       FROM (SELECT pg_advisory_xact_lock_shared($11::bigint)) AS revocation_lock`,
      [
        r.jti,
        r.iss,
        r.sub,
        r.aud,
        r.grantId,
        r.policyVersion,
        r.kid,
        r.iat,
        r.exp,
        r.sourceIp,
        REVOCATION_LOCK,
      ],
    );
  }

  async lastExpiryByKey(kid: string): Promise<number | undefined> {
    const { rows } = await this.#sql.query<{ exp: string | null }>(
      "SELECT max(exp)::text AS exp FROM pulse_issuance WHERE kid = $1",
      [kid],
    );
    const exp = rows[0]?.exp;
    return exp === null || exp === undefined ? undefined : Number(exp);
  }

  async recordAudit(e: BrokerAuditEvent, time: Date): Promise<void> {
    await this.#sql.query(
      `INSERT INTO pulse_audit (time, event, principal, grant_id, policy_version, reasons, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        time.toISOString(),
        e.event,
        e.principal ?? null,
        e.grantId ?? null,
        e.policyVersion ?? null,
        e.reasons === undefined ? null : JSON.stringify(e.reasons),
        e.detail === undefined ? null : JSON.stringify(e.detail),
      ],
    );
  }

  async auditSince(since: string | undefined, limit: number): Promise<StoredAuditEvent[]> {
    const { rows } = await this.#sql.query<AuditRow>(
      `SELECT id::text AS id, ${isoTime("time")} AS time, event, principal, grant_id,
       policy_version, reasons::text AS reasons, detail::text AS detail
       FROM pulse_audit WHERE pulse_audit.id > $1::bigint ORDER BY pulse_audit.id LIMIT $2`,
      [since ?? "0", limit],
    );
    return rows.map((row) => ({
      id: row.id,
      time: row.time,
      event: row.event as BrokerAuditEvent["event"],
      ...(row.principal !== null && { principal: row.principal }),
      ...(row.grant_id !== null && { grantId: row.grant_id }),
      ...(row.policy_version !== null && { policyVersion: row.policy_version }),
      ...(row.reasons !== null && { reasons: JSON.parse(row.reasons) }),
      ...(row.detail !== null && { detail: JSON.parse(row.detail) }),
    }));
  }

  close(): Promise<void> {
    return this.#sql.close();
  }
}

function toStored(row: RevocationRow): StoredRevocation {
  const before = Number(row.issued_before);
  const revocation: Revocation =
    row.kind === "jti"
      ? { iss: row.iss, jti: row.subject }
      : row.kind === "principal"
        ? { iss: row.iss, sub: row.subject, issuedBefore: before }
        : { iss: row.iss, grantId: row.subject, issuedBefore: before };
  return { cursor: row.cursor, revocation, time: row.created_at };
}
