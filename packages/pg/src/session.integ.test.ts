// Regressions for session state a guarded connection carries from one use to the next: each
// test is named after the fault it pins. PostgreSQL when PULSE_PG_URL is set, else PGlite.
import { runWithToken } from "@pulse/core/scope";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../test/database.js";
import { startDatabase, uniqueSchema } from "../test/database.js";
import type { TestAuthority } from "../test/tokens.js";
import { testAuthority } from "../test/tokens.js";
import { guardPool } from "./guard.js";
import type { PgGuardOptions } from "./options.js";

const TENANT_A = uniqueSchema("tena");
const TENANT_B = uniqueSchema("tenb");

let db: TestDatabase;
let admin: pg.Pool;
let authority: TestAuthority;

const SETTING_ACTIONS: Array<"read" | "write" | "admin"> = ["read", "write", "admin"];
const readAll = (schema: string) => ({ res: `pg://appdb/${schema}.*`, act: ["read" as const] });

beforeAll(async () => {
  db = await startDatabase();
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  await admin.query(`
    CREATE SCHEMA ${TENANT_A};
    CREATE SCHEMA ${TENANT_B};
    CREATE TABLE ${TENANT_A}.orders (note text);
    CREATE TABLE ${TENANT_B}.orders (note text);
    INSERT INTO ${TENANT_A}.orders VALUES ('tenant A private');
    INSERT INTO ${TENANT_B}.orders VALUES ('tenant B');
  `);
  authority = await testAuthority();
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${TENANT_A} CASCADE`);
  await admin?.query(`DROP SCHEMA IF EXISTS ${TENANT_B} CASCADE`);
  await admin?.end();
  await db?.stop();
});

function singleConnectionPool(): pg.Pool {
  return new pg.Pool({ connectionString: db.url, max: 1 });
}

type Guarded = { pool: pg.Pool; guard: pg.Pool };

/** A one-connection pool and a guard over it, ended after `fn`. */
async function withGuard(options: Partial<PgGuardOptions>, fn: (g: Guarded) => Promise<void>) {
  const pool = singleConnectionPool();
  const guard = guardPool(pool, {
    verifier: authority.verifier,
    database: "appdb",
    searchPath: [TENANT_A],
    ...options,
  });
  try {
    await fn({ pool, guard });
  } finally {
    await pool.end();
  }
}

describe("session regressions", () => {
  it("pin-shared-between-guards: each guard resolves names through its own path", async () => {
    const shared = singleConnectionPool();
    const options = { verifier: authority.verifier, database: "appdb" };
    const guardA = guardPool(shared, { ...options, searchPath: [TENANT_A] });
    const guardB = guardPool(shared, { ...options, searchPath: [TENANT_B] });
    try {
      const tokenA = await authority.token([readAll(TENANT_A)]);
      const tokenB = await authority.token([readAll(TENANT_B)]);
      const a = await runWithToken(tokenA, () => guardA.query("SELECT note FROM orders"));
      const b = await runWithToken(tokenB, () => guardB.query("SELECT note FROM orders"));
      expect(a.rows).toEqual([{ note: "tenant A private" }]);
      expect(b.rows).toEqual([{ note: "tenant B" }]);
    } finally {
      await shared.end();
    }
  });

  it("queued-after-release: statements queued before release() never run", async () => {
    await withGuard({}, async ({ guard }) => {
      const token = await authority.token([readAll(TENANT_A)]);
      const client = await guard.connect();
      const queued = runWithToken(token, () => [
        client.query("SELECT note FROM orders"),
        client.query("SELECT note FROM orders"),
      ]);
      client.release();
      const outcomes = await Promise.allSettled(queued);
      const codes = outcomes.map((o) =>
        o.status === "rejected" ? (o.reason as { code?: string }).code : "ran",
      );
      expect(codes).toEqual(["ERR_PULSE_PG_CLIENT_RELEASED", "ERR_PULSE_PG_CLIENT_RELEASED"]);
    });
  });

  it("released-inside-a-transaction: the next caller never inherits it or its claims", async () => {
    await withGuard({ setClaims: true }, async ({ pool, guard }) => {
      const alice = await authority.token([readAll(TENANT_A)], "alice");
      const bob = await authority.token([readAll(TENANT_A)], "bob");
      const client = await guard.connect();
      await runWithToken(alice, async () => {
        await client.query("BEGIN");
        await client.query("SELECT note FROM orders");
      });
      client.release();

      // The pool has one connection: whatever runs next runs where alice's transaction was.
      const seen = await pool.query(
        "SELECT pg_catalog.current_setting('pulse.claims', true) AS claims",
      );
      expect(String(seen.rows[0].claims ?? "")).not.toContain("alice");
      const after = await runWithToken(bob, () => guard.query("SELECT note FROM orders"));
      expect(after.rows).toEqual([{ note: "tenant A private" }]);
    });
  });

  it("standard-conforming-strings-off: the guard pins the setting it parses with", async () => {
    await withGuard({}, async ({ pool, guard }) => {
      await pool.query("SET standard_conforming_strings TO off");
      const setting = { res: "pg://appdb/pg_catalog.current_setting()", act: SETTING_ACTIONS };
      const token = await authority.token([readAll(TENANT_A), setting]);
      const client = await guard.connect();
      try {
        const result = await runWithToken(token, () =>
          client.query("SELECT pg_catalog.current_setting('standard_conforming_strings') AS v"),
        );
        expect(result.rows).toEqual([{ v: "on" }]);
      } finally {
        client.release();
      }
    });
  });

  it("newer-syntax-on-older-server: SQL/JSON syntax runs only where supported", async () => {
    const version = Number(
      (await admin.query("SELECT pg_catalog.current_setting('server_version_num') AS v")).rows[0].v,
    );
    await withGuard({}, async ({ guard }) => {
      const token = await authority.token([readAll(TENANT_A)]);
      const run = runWithToken(token, () => guard.query("SELECT JSON_ARRAY(1, 2)::text AS j"));
      if (version >= 160000) {
        expect((await run).rows).toEqual([{ j: "[1, 2]" }]);
      } else {
        const error = await run.catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "unsupported-operation" });
      }
    });
  });

  it("tokenless-long-text: refused before it is parsed", async () => {
    await withGuard({}, async ({ guard }) => {
      const text = `SELECT 1${" ".repeat(10_000)}`;
      const error = await guard.query(text).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "malformed" });
      expect((error as Error).message).toContain("no capability token");
    });
  });
});
