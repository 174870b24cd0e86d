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

interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

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
    exec: async (text) => void (await db.exec(text)),
    close: () => db.close(),
  };
}

/** Opens the store (see `openStore`). */
export async function openSqlStore(options: StoreOptions): Promise<BrokerStore> {
  let sql: Sql;
  try {
    sql = await connect(options);
    await sql.exec(SCHEMA);
  } catch (error) {
    throw new PulseBrokerError("ERR_PULSE_BROKER_STORE", "cannot open the broker store", {
      cause: error,
    });
  }
  return new SqlStore(sql);
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

class SqlStore implements BrokerStore {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async addRevocation(revocation: Revocation): Promise<StoredRevocation> {
    const [kind, subject, before] =
      "jti" in revocation
        ? (["jti", revocation.jti, null] as const)
        : "sub" in revocation
          ? (["principal", revocation.sub, revocation.issuedBefore] as const)
          : (["grant", revocation.grantId, revocation.issuedBefore] as const);
    const { rows } = await this.#sql.query<RevocationRow>(
      `INSERT INTO pulse_revocations (kind, iss, subject, issued_before)
       VALUES ($1, $2, $3, $4) RETURNING ${REVOCATION_COLUMNS}`,
      [kind, revocation.iss, subject, before],
    );
    return toStored(rows[0]!);
  }

  async revocationsSince(since: string | undefined, limit: number): Promise<StoredRevocation[]> {
    const { rows } = await this.#sql.query<RevocationRow>(
      `SELECT ${REVOCATION_COLUMNS} FROM pulse_revocations
       WHERE pulse_revocations.cursor > $1::bigint ORDER BY pulse_revocations.cursor LIMIT $2`,
      [since ?? "0", limit],
    );
    return rows.map(toStored);
  }

  async recordIssuance(r: IssuanceRecord): Promise<void> {
    await this.#sql.query(
      `INSERT INTO pulse_issuance
       (jti, iss, sub, aud, grant_id, policy_version, kid, iat, exp, source_ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.jti, r.iss, r.sub, r.aud, r.grantId, r.policyVersion, r.kid, r.iat, r.exp, r.sourceIp],
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
