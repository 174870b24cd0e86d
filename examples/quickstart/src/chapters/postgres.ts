// The Postgres chapter: PGlite served over the Postgres wire protocol on a free local port, a
// node-postgres pool wrapped by @pulse/pg. A reporting service holds a token that may read and
// insert orders, nothing else; every statement is parsed and checked before it is sent.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { createVerifier } from "@pulse/core";
import { runWithToken } from "@pulse/core/scope";
import { guardPool } from "@pulse/pg";
import pg from "pg";
import type { Chapter, StoryContext } from "../story.js";

const DATABASE = "appdb";

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
const ORDERS = `pg://${DATABASE}/sales.orders`;
const SALARIES = `pg://${DATABASE}/hr.salaries`;

function reportingToken(story: StoryContext): Promise<string> {
  return story.mint({
    sub: "svc:reporting",
    aud: `pg:${DATABASE}`,
    pcl: "service",
    cap: [{ res: ORDERS, act: ["read", "write"] }],
    jus: { ref: "CHG-3101", txt: "Reporting service reads orders and records corrections" },
    grt: { id: "reporting-orders", ver: "sha256:demo" },
    lifetimeSeconds: 300,
  });
}

async function startPglite() {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 4 });
  await server.start();
  const port = server.getServerConn().split(":").at(-1);
  const stop = async () => {
    await server.stop();
    await db.close();
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

export const postgresChapter: Chapter = {
  title: "Postgres: @pulse/pg on PGlite over the wire protocol",
  summary: [
    "token: svc:reporting may read and write pg://appdb/sales.orders (grant reporting-orders)",
    "every statement is parsed with PostgreSQL's parser;",
    "each relation and function it touches is checked",
  ],

  async run(story: StoryContext) {
    const server = await startPglite();
    const pool = new pg.Pool({ connectionString: server.url, max: 4 });
    try {
      // The operator sets the database up directly, without PULSE.
      await pool.query(`
        CREATE SCHEMA sales; CREATE SCHEMA hr;
        CREATE TABLE sales.orders (id int PRIMARY KEY, customer text, total numeric);
        CREATE TABLE hr.salaries (id int PRIMARY KEY, name text, amount numeric);
        INSERT INTO sales.orders VALUES (1, 'acme', 120), (2, 'globex', 75);
        INSERT INTO hr.salaries VALUES (1, 'ceo', 900000);
      `);

      const verifier = await createVerifier({
        keys: story.jwks,
        issuer: story.issuer,
        audience: `pg:${DATABASE}`,
        revocation: story.revocations,
        audit: story.audit,
      });
      const db = guardPool(pool, { verifier, database: DATABASE, searchPath: ["sales"] });
      const token = await reportingToken(story);
      const step = (name: string, resource: string, sql: string) =>
        story.attempt(name, shorten(sql.replace(/\s+/g, " "), 48), resource, () =>
          runWithToken(token, () => db.query(sql)),
        );

      await step("read orders", ORDERS, "SELECT id, total FROM orders WHERE id = 1");
      await step("insert an order", ORDERS, "INSERT INTO orders VALUES (3, 'initech', 40)");
      await step(
        "DELETE hidden in a CTE",
        ORDERS,
        "WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone",
      );
      await step(
        "salaries through a UNION",
        SALARIES,
        "SELECT total FROM orders UNION ALL SELECT amount FROM hr.salaries",
      );
      await step(
        "salaries in an ORDER BY subquery",
        SALARIES,
        "SELECT id FROM orders ORDER BY (SELECT max(amount) FROM hr.salaries)",
      );
      await step(
        "read a server file",
        `pg://${DATABASE}/pg_catalog.pg_read_file()`,
        "SELECT pg_read_file('/etc/passwd')",
      );
      await step("two statements in one", ORDERS, "SELECT 1 FROM orders; DROP TABLE orders");
      await step("COPY to a program", ORDERS, "COPY orders TO PROGRAM 'sh'");
      await step("not SQL", "-", "SELEKT * FROM orders");
    } finally {
      await pool.end();
      await server.stop();
    }
  },
};
