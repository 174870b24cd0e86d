// The row-level security example (examples/pg-rls/policy.sql) with `setClaims`: PostgreSQL
// filters rows by the principal of the token the guard verified.
import { readFileSync } from "node:fs";
import { runWithToken } from "@pulse/core/scope";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../test/database.js";
import { startDatabase, uniqueSchema } from "../test/database.js";
import type { TestAuthority } from "../test/tokens.js";
import { testAuthority } from "../test/tokens.js";
import { guardClient } from "./guard.js";

const NAME = uniqueSchema("rls");
const ROLE = `${NAME}_app`;
const POLICY = new URL("../../../examples/pg-rls/policy.sql", import.meta.url);

let db: TestDatabase;
let admin: pg.Client;
let authority: TestAuthority;

beforeAll(async () => {
  db = await startDatabase();
  admin = new pg.Client(db.url);
  await admin.connect();
  const sql = readFileSync(POLICY, "utf8")
    .replaceAll("rls_demo_app", ROLE)
    .replaceAll("rls_demo", NAME);
  await admin.query(sql);
  await admin.query(
    `INSERT INTO ${NAME}.notes VALUES (1, 'alice', 'a1'), (2, 'alice', 'a2'), (3, 'bob', 'b1')`,
  );
  authority = await testAuthority();
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${NAME} CASCADE`);
  await admin?.query(`DROP ROLE IF EXISTS ${ROLE}`);
  await admin?.end();
  await db?.stop();
});

async function asApp<T>(setClaims: boolean, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(db.url);
  await client.connect();
  try {
    const guard = guardClient(client, {
      verifier: authority.verifier,
      database: "appdb",
      searchPath: [NAME],
      setClaims,
    });
    // The role switch is set up outside the guard, which would refuse SET ROLE.
    await client.query("BEGIN");
    await client.query(`SET LOCAL ROLE ${ROLE}`);
    const result = await fn(guard);
    await client.query("ROLLBACK");
    return result;
  } finally {
    await client.end();
  }
}

const readNotes = [{ res: `pg://appdb/${NAME}.notes`, act: ["read" as const] }];

describe("row-level security with pulse.claims", () => {
  it("the policy sees the verified principal and returns only its rows", async () => {
    const alice = await authority.token(readNotes, "alice");
    const rows = await asApp(true, (c) =>
      runWithToken(alice, () => c.query("SELECT id FROM notes ORDER BY id")),
    );
    expect(rows.rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("claims follow the token when another token is used in the same transaction", async () => {
    const alice = await authority.token(readNotes, "alice");
    const bob = await authority.token(readNotes, "bob");
    const [a, b] = await asApp(true, async (c) => [
      await runWithToken(alice, () => c.query("SELECT id FROM notes ORDER BY id")),
      await runWithToken(bob, () => c.query("SELECT id FROM notes ORDER BY id")),
    ]);
    expect(a.rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(b.rows).toEqual([{ id: 3 }]);
  });

  it("a SELECT queued right behind BEGIN, without awaiting, gets the claims", async () => {
    const alice = await authority.token(readNotes, "alice");
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      await client.query(`SET ROLE ${ROLE}`);
      const guard = guardClient(client, {
        verifier: authority.verifier,
        database: "appdb",
        searchPath: [NAME],
        setClaims: true,
      });
      const rows = await runWithToken(alice, async () => {
        await guard.query("SELECT 1"); // pins the search_path: nothing else is awaited below
        const calls = [
          guard.query("BEGIN"),
          guard.query("SELECT id FROM notes ORDER BY id"),
          guard.query("ROLLBACK"),
        ];
        return (await Promise.all(calls))[1] as pg.QueryResult;
      });
      expect(rows.rows).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await client.query("RESET ROLE");
      await client.end();
    }
  });

  it("rls-without-claims-empty: without setClaims the policy matches no row", async () => {
    const alice = await authority.token(readNotes, "alice");
    const rows = await asApp(false, (c) =>
      runWithToken(alice, () => c.query("SELECT id FROM notes")),
    );
    expect(rows.rows).toEqual([]);
  });
});
