// Differential test: for every read statement of the curated corpus, the relations the server's
// planner scans (EXPLAIN (VERBOSE, FORMAT JSON)) agree with the relations the guard found.
import { parseResource, pgResource } from "@pulse/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "../test/corpus.js";
import type { TestDatabase } from "../test/database.js";
import { startDatabase, uniqueSchema } from "../test/database.js";
import { analyzeSql } from "./analyze-sql.js";

// The corpus names schemas public, sales and hr; here each gets a name of its own.
const SCHEMAS = {
  public: uniqueSchema("dpub"),
  sales: uniqueSchema("dsales"),
  hr: uniqueSchema("dhr"),
};

function localise(sql: string): string {
  return sql.replace(/(?<!["\w])(public|sales|hr)\./gi, (_m, s: string) => {
    return `${SCHEMAS[s.toLowerCase() as keyof typeof SCHEMAS]}.`;
  });
}

const canonical = (schema: string, name: string) =>
  parseResource(pgResource("d", schema, name)).path;

// Statements whose functions act on the server, or that the planner cannot show plainly.
const SERVER_SIDE_EFFECTS = new RegExp(
  "\\b(app\\.|audit_fn|nextval|pg_read_file|set_config|pg_sleep|pg_advisory|pg_terminate|" +
    "lo_import|dblink|query_to_xml|current_setting|pg_temp|JSON_TABLE)",
  "i",
);

const READS = CORPUS.filter(
  (c) =>
    c.server !== "skip" &&
    (c.action === "read" || c.action === "none") &&
    c.reason !== "unsupported-operation" &&
    c.reason !== "malformed" &&
    /^\s*(SELECT|WITH|TABLE|VALUES)\b/i.test(c.sql) &&
    !SERVER_SIDE_EFFECTS.test(c.sql),
);

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await startDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const { public: p, sales: s, hr: h } = SCHEMAS;
  await pool.query(`
    CREATE SCHEMA ${p}; CREATE SCHEMA ${s}; CREATE SCHEMA ${h};
    CREATE TABLE ${p}.orders (
      id int PRIMARY KEY, customer_id int, total numeric, created_at timestamptz
    );
    CREATE TABLE ${p}.customers (id int PRIMARY KEY, name text);
    CREATE TABLE ${p}."Orders" (id int);
    CREATE TABLE ${p}."odd.name" (id int);
    CREATE TABLE ${s}.orders (id int PRIMARY KEY, customer_id int, total numeric);
    CREATE TABLE ${s}.items (order_id int);
    CREATE TABLE ${h}.salaries (id int PRIMARY KEY, amount numeric);
    SET search_path TO pg_catalog, ${p}, pg_temp;
  `);
});

afterAll(async () => {
  const drop = Object.values(SCHEMAS).map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE;`);
  await pool?.query(drop.join(" "));
  await pool?.end();
  await db?.stop();
});

function planRelations(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) planRelations(item, found);
  else if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record["Relation Name"] === "string") {
      found.add(canonical(String(record["Schema"]), record["Relation Name"]));
    }
    for (const value of Object.values(record)) planRelations(value, found);
  }
  return found;
}

describe("guard relations agree with the planner", () => {
  it("covers a meaningful share of the corpus", () => {
    expect(READS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(READS.map((c) => [c.sql, c] as const))("%s", async (_sql, entry) => {
    const sql = localise(entry.sql);
    const analysis = await analyzeSql(sql, { database: "d", searchPath: [SCHEMAS.public] });
    expect(analysis.ok).toBe(true);
    if (!analysis.ok) return;
    const guard = new Set(
      analysis.requests.map((r) => parseResource(r.resource)).map((r) => r.path),
    );

    const explain = await pool.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`);
    const server = planRelations(explain.rows[0]["QUERY PLAN"], new Set());

    for (const relation of server) expect(guard).toContain(relation);
    if (entry.server !== "superset") expect([...guard].sort()).toEqual([...server].sort());
  });
});
