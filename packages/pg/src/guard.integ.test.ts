// The guard against a real server: PostgreSQL when PULSE_PG_URL is set, else PGlite over the wire.
import { runWithToken } from "@pulse/core/scope";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../test/database.js";
import { startDatabase, uniqueSchema } from "../test/database.js";
import type { TestAuthority } from "../test/tokens.js";
import { testAuthority } from "../test/tokens.js";
import { guardClient, guardPool } from "./guard.js";

const APP = uniqueSchema("guard");
const HR = uniqueSchema("guardhr");
const sent: string[] = [];

// Records every text that reaches the wire, to prove what the guard did not send.
class RecordingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const first = args[0] as string | { text?: string };
    sent.push(typeof first === "string" ? first : String(first?.text));
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

let db: TestDatabase;
let admin: pg.Pool;
let raw: pg.Pool;
let guarded: pg.Pool;
let authority: TestAuthority;
let reader: string;
let writer: string;

const grant = (table: string, act: ("read" | "write" | "delete")[]) => ({
  res: `pg://appdb/${APP}.${table}`,
  act,
});

beforeAll(async () => {
  db = await startDatabase();
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  await admin.query(`
    CREATE SCHEMA ${APP};
    CREATE SCHEMA ${HR};
    CREATE TABLE ${APP}.orders (id int PRIMARY KEY, total numeric, label text DEFAULT 'orders');
    CREATE TABLE ${APP}.customers (id int PRIMARY KEY, name text, label text DEFAULT 'customers');
    CREATE TABLE ${HR}.salaries (id int PRIMARY KEY, amount numeric);
    INSERT INTO ${APP}.orders (id, total) SELECT g, g * 10 FROM generate_series(1, 20) g;
    INSERT INTO ${APP}.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 20) g;
    INSERT INTO ${HR}.salaries VALUES (1, 1000);
  `);
  authority = await testAuthority();
  reader = await authority.token([grant("orders", ["read"]), grant("customers", ["read"])]);
  writer = await authority.token([grant("orders", ["read", "write", "delete"])]);
  raw = new pg.Pool({ connectionString: db.url, max: 4, Client: RecordingClient });
  guarded = guardPool(raw, { verifier: authority.verifier, database: "appdb", searchPath: [APP] });
});

afterAll(async () => {
  await raw?.end();
  await admin?.query(`DROP SCHEMA IF EXISTS ${APP} CASCADE; DROP SCHEMA IF EXISTS ${HR} CASCADE`);
  await admin?.end();
  await db?.stop();
});

async function count(table = "orders"): Promise<number> {
  const result = await admin.query(`SELECT count(*)::int AS n FROM ${APP}.${table}`);
  return result.rows[0].n;
}

describe("guarded pool", () => {
  it("runs a granted read: promise, config object and callback forms", async () => {
    await runWithToken(reader, async () => {
      const a = await guarded.query("SELECT total FROM orders WHERE id = $1", [2]);
      expect(a.rows).toEqual([{ total: "20" }]);

      const b = await guarded.query({ text: "SELECT id FROM orders WHERE id = $1", values: [3] });
      expect(b.rows).toEqual([{ id: 3 }]);

      const c = await new Promise<pg.QueryResult>((resolve, reject) => {
        guarded.query("SELECT name FROM customers WHERE id = $1", [4], (error, result) =>
          error ? reject(error) : resolve(result),
        );
      });
      expect(c.rows).toEqual([{ name: "c4" }]);
    });
  });

  it("denied-statement-never-sent: a denied DELETE never reaches the server", async () => {
    const before = await count();
    const text = "DELETE FROM orders WHERE id > 0";
    const error = await runWithToken(reader, () => guarded.query(text)).catch((e) => e);

    expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "action-not-granted" });
    expect(sent).not.toContain(text);
    expect(await count()).toBe(before);
  });

  it("out-of-scope-union: a read reaching another schema is denied and not sent", async () => {
    const text = `SELECT id FROM orders UNION ALL SELECT id FROM ${HR}.salaries`;
    const error = await runWithToken(reader, () => guarded.query(text)).catch((e) => e);
    expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "out-of-scope" });
    expect(sent).not.toContain(text);
  });

  it("no-token-denied: a statement without a token is denied", async () => {
    const error = await guarded.query("SELECT * FROM orders").catch((e) => e);
    expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "malformed" });
  });

  it("delivers a denial to the callback", async () => {
    const error = await new Promise((resolve) => {
      runWithToken(reader, () => guarded.query("TRUNCATE orders", (e: Error) => resolve(e)));
    });
    expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "action-not-granted" });
  });

  it("a denied pool query takes no connection", async () => {
    const fresh = new pg.Pool({ connectionString: db.url, max: 2 });
    const guard = guardPool(fresh, { verifier: authority.verifier, database: "appdb" });
    await runWithToken(reader, () => guard.query("DROP TABLE orders")).catch(() => undefined);
    expect(fresh.totalCount).toBe(0);
    await guard.end();
  });

  it("forwards pool events", async () => {
    let acquired = 0;
    const listener = () => acquired++;
    guarded.on("acquire", listener);
    await runWithToken(reader, () => guarded.query("SELECT 1 FROM orders LIMIT 1"));
    guarded.off("acquire", listener);
    expect(acquired).toBe(1);
  });

  it("shadow mode runs a denied statement and audits the would-be denial", async () => {
    const shadow = guardPool(raw, {
      verifier: authority.verifier,
      database: "appdb",
      searchPath: [APP],
      mode: "shadow",
    });
    await admin.query(`INSERT INTO ${APP}.orders (id, total) VALUES (900, 1)`);
    const result = await runWithToken(reader, () =>
      shadow.query("DELETE FROM orders WHERE id = 900"),
    );

    expect(result.rowCount).toBe(1);
    const record = authority.records().at(-1)!;
    expect(record).toMatchObject({ outcome: "deny", reason: "action-not-granted", blocked: false });
  });
});

describe("concurrency", () => {
  it("concurrent requests with different tokens never mix them up", async () => {
    const onlyOrders = await authority.token([grant("orders", ["read"])], "svc:orders");
    const onlyCustomers = await authority.token([grant("customers", ["read"])], "svc:customers");

    const task = async (i: number) => {
      const mine = i % 2 === 0 ? "orders" : "customers";
      const other = i % 2 === 0 ? "customers" : "orders";
      return runWithToken(i % 2 === 0 ? onlyOrders : onlyCustomers, async () => {
        await new Promise((r) => setTimeout(r, (i * 7) % 5));
        const ok = await guarded.query(`SELECT label FROM ${mine} WHERE id = $1`, [(i % 20) + 1]);
        const denied = await guarded.query(`SELECT label FROM ${other} LIMIT 1`).catch((e) => e);
        return { mine, label: ok.rows[0].label, denied: denied.reason };
      });
    };

    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => task(i)));
    for (const r of results) {
      expect(r.label).toBe(r.mine);
      expect(r.denied).toBe("out-of-scope");
    }
  });
});

describe("checked-out clients", () => {
  it("always-released: clients return after allowed, denied, failing work", async () => {
    const work = Array.from({ length: 24 }, async (_, i) => {
      const client = await guarded.connect();
      try {
        await runWithToken(reader, async () => {
          if (i % 3 === 0) await client.query("SELECT count(*) FROM orders");
          if (i % 3 === 1) await client.query("DELETE FROM orders").catch(() => undefined);
          if (i % 3 === 2) await client.query("SELECT 1 / 0 FROM orders").catch(() => undefined);
        });
      } finally {
        client.release();
      }
      await runWithToken(reader, () => guarded.query("SELECT 1/0 FROM orders")).catch(() => 0);
    });
    await Promise.all(work);

    expect(raw.waitingCount).toBe(0);
    expect(raw.idleCount).toBe(raw.totalCount);
  });

  it("released-client-refused: a guarded client refuses queries after release", async () => {
    const client = await guarded.connect();
    client.release();
    const error = await runWithToken(reader, () => client.query("SELECT 1")).catch((e) => e);
    expect(error).toMatchObject({ code: "ERR_PULSE_PG_CLIENT_RELEASED" });
  });

  it("connect with a callback hands out a guarded client and its release", async () => {
    const { client, done } = await new Promise<{ client: pg.PoolClient; done: () => void }>(
      (resolve, reject) =>
        guarded.connect((error, client, done) =>
          error || !client ? reject(error) : resolve({ client, done }),
        ),
    );
    const error = await runWithToken(reader, () => client.query("TRUNCATE orders")).catch((e) => e);
    expect(error).toMatchObject({ reason: "action-not-granted" });
    done();
    expect(raw.idleCount).toBe(raw.totalCount);
  });

  it("transactions on a client commit and roll back; a denial leaves them usable", async () => {
    const client = await guarded.connect();
    try {
      await runWithToken(writer, async () => {
        await client.query("BEGIN");
        await client.query("INSERT INTO orders (id, total) VALUES (500, 1)");
        const denied = await client.query("SELECT * FROM customers").catch((e) => e);
        expect(denied).toMatchObject({ reason: "out-of-scope" });
        await client.query("ROLLBACK");

        await client.query("BEGIN");
        await client.query("INSERT INTO orders (id, total) VALUES (501, 1)");
        await client.query("COMMIT");
      });
    } finally {
      client.release();
    }
    const rows = await admin.query(`SELECT id FROM ${APP}.orders WHERE id IN (500, 501)`);
    expect(rows.rows).toEqual([{ id: 501 }]);
  });

  it("statements queued without awaiting run in call order", async () => {
    const client = await guarded.connect();
    try {
      await runWithToken(writer, async () => {
        const calls = [
          client.query("BEGIN"),
          client.query("INSERT INTO orders (id, total) VALUES (600, 1)"),
          client.query("UPDATE orders SET total = 2 WHERE id = 600"),
          client.query("COMMIT"),
        ];
        await Promise.all(calls);
      });
    } finally {
      client.release();
    }
    const rows = await admin.query(`SELECT total FROM ${APP}.orders WHERE id = 600`);
    expect(rows.rows).toEqual([{ total: "2" }]);
  });

  it("a denied Submittable gets the error through its own events", async () => {
    const client = await guarded.connect();
    try {
      const query = new pg.Query("DELETE FROM orders");
      const error = await new Promise((resolve) => {
        query.on("error", resolve);
        runWithToken(reader, () => client.query(query));
      });
      expect(error).toMatchObject({ code: "ERR_PULSE_DENIED" });
    } finally {
      client.release();
    }
  });
});

describe("submittable-text-changed-after-check", () => {
  it("a Submittable's text is pinned to what was analysed", async () => {
    const client = await guarded.connect();
    try {
      const query = new pg.Query("SELECT id FROM orders WHERE id = 1");
      const rows: unknown[] = [];
      const done = new Promise((resolve, reject) => {
        query.on("row", (row: unknown) => rows.push(row));
        query.on("end", resolve);
        query.on("error", reject);
      });
      runWithToken(reader, () => client.query(query));
      expect(() => {
        (query as unknown as { text: string }).text = "DELETE FROM orders";
      }).toThrow(TypeError);
      await done;
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      client.release();
    }
  });
});

describe("search_path", () => {
  it("search-path-repinned: connect() pins it again after unguarded code changed it", async () => {
    const single = new pg.Pool({ connectionString: db.url, max: 1 });
    const guard = guardPool(single, {
      verifier: authority.verifier,
      database: "appdb",
      searchPath: [APP],
    });
    try {
      await single.query(`SET search_path TO ${HR}`);
      const client = await guard.connect();
      try {
        const result = await runWithToken(reader, () =>
          client.query("SELECT id FROM orders WHERE id = 1"),
        );
        expect(result.rows).toEqual([{ id: 1 }]);
      } finally {
        client.release();
      }
    } finally {
      await single.query(`SET search_path TO pg_catalog, ${APP}, pg_temp`);
      await single.end();
    }
  });

  it("guardClient pins the search_path before its first statement", async () => {
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      await client.query(`SET search_path TO ${HR}`);
      const guard = guardClient(client, {
        verifier: authority.verifier,
        database: "appdb",
        searchPath: [APP],
      });
      const result = await runWithToken(reader, () =>
        guard.query("SELECT id FROM orders WHERE id = 2"),
      );
      expect(result.rows).toEqual([{ id: 2 }]);
    } finally {
      await client.end();
    }
  });
});
