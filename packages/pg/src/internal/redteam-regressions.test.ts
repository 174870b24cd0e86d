// Regression tests for the red-team findings on the statement analysis, one per fault.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Analysis } from "./analyze.js";
import { analyzeText } from "./analyze.js";
import { loadParser } from "./parser.js";

const SETTINGS = {
  database: "appdb",
  searchPath: ["app"],
  allowMultipleStatements: false,
  maxQueryLength: 1_000_000,
};

const analyze = (sql: string): Analysis => analyzeText(sql, SETTINGS);

/** The requests of an allowed analysis as `action resource`, sorted. */
function requests(sql: string): string[] {
  const analysis = analyze(sql);
  if (!analysis.ok) throw new Error(`${sql} refused: ${analysis.detail}`);
  return analysis.requests.map((r) => `${r.action} ${r.resource}`).sort();
}

beforeAll(loadParser);

describe("operator-calls-user-function", () => {
  it.each([
    "SELECT 1 #!# 2",
    "SELECT 1 OPERATOR(app.@!@) ANY (SELECT 2)",
    "SELECT 1 OPERATOR(app.@!@) ALL (SELECT 2)",
    "SELECT (1, 2) OPERATOR(app.<) (SELECT 1, 2)",
    "SELECT 1 FROM orders ORDER BY id USING OPERATOR(x.<<<)",
    "SELECT 1 FROM orders ORDER BY id USING <<<",
    "SELECT * FROM orders WHERE id OPERATOR(app.===) 1",
    "SELECT 1 OPERATOR(pg_catalog.#!#) 2",
    "SELECT ROW(1, 2) OPERATOR(app.<) ROW(3, 4)",
    "SELECT 1 OPERATOR(app.=) ANY (ARRAY[1])",
  ])("refuses %s", (sql) => {
    expect(analyze(sql)).toMatchObject({ ok: false, reason: "unsupported-operation" });
  });

  it("says why in the detail", () => {
    const analysis = analyze("SELECT 1 #!# 2");
    expect(analysis.ok).toBe(false);
    if (!analysis.ok) expect(analysis.detail).toMatch(/#!#.*user-defined operator/);
  });

  it.each([
    "SELECT 1 + 2 * 3 - 4 / 5 % 6",
    "SELECT 'a' || 'b', '{}'::jsonb -> 'a', '{}'::jsonb ? 'a', 2 ^ 3, |/ 4",
    "SELECT 1 OPERATOR(pg_catalog.+) 2",
    "SELECT 1 = ANY (SELECT 2) AND 1 <> ALL (ARRAY[2]) AND 1 IN (SELECT 1)",
    "SELECT 1 OPERATOR(pg_catalog.=) ANY (SELECT 2)",
    "SELECT (1, 2) < (SELECT 1, 2)",
    "SELECT 1 FROM orders ORDER BY id USING >",
    "SELECT 1 FROM orders ORDER BY id USING OPERATOR(pg_catalog.<)",
    "SELECT 1 WHERE 1 BETWEEN 0 AND 2 AND 1 NOT BETWEEN SYMMETRIC 3 AND 2",
    "SELECT 'a' LIKE 'b', 'a' NOT ILIKE 'b', 'a' SIMILAR TO 'b', 1 IS DISTINCT FROM 2",
    "SELECT nullif(1, 2), 1 IN (1, 2), 1 NOT IN (3), (1, 2) < (3, 4), 1 != 2",
  ])("allows built-in %s", (sql) => {
    expect(analyze(sql)).toMatchObject({ ok: true });
  });
});

describe("newer-syntax-on-older-server", () => {
  const needs = (sql: string) => {
    const analysis = analyze(sql);
    if (!analysis.ok) throw new Error(`${sql} refused: ${analysis.detail}`);
    return analysis.minServerVersionNum;
  };

  it.each([
    ["SELECT json_array(1, 2)", 160000],
    ["SELECT json_array()", 160000],
    ["SELECT json_arrayagg(x) FROM (VALUES (1)) v(x)", 160000],
    ["SELECT json_object('a': 1)", 160000],
    ["SELECT json_object()", 160000],
    ["SELECT json_objectagg(k: v) FROM (VALUES ('a', 1)) t(k, v)", 160000],
    ["SELECT json_array(SELECT 1)", 160000],
    ["SELECT '{}' IS JSON", 160000],
    ["SELECT json('x'::text)", 170000],
    ["SELECT json_value('x', '$.a')", 170000],
    ["SELECT json_query('{}', '$.a')", 170000],
    ["SELECT json_exists('{}', '$.a')", 170000],
    ["SELECT json_scalar(1)", 170000],
    ["SELECT json_serialize('{}')", 170000],
    ["SELECT * FROM JSON_TABLE('[1]'::jsonb, '$[*]' COLUMNS (x int PATH '$')) jt", 170000],
    ["SELECT json_array(1) IS JSON, json_value('x', '$')", 170000],
  ])("%s needs server_version_num %i", (sql, versionNum) => {
    expect(needs(sql)).toBe(versionNum);
  });

  it("older JSON functions need no newer server", () => {
    expect(needs("SELECT json_build_array(1), json_object('{a,1}'), to_jsonb(1)")).toBeUndefined();
  });
});

describe("allow-listed-builtin-missing-on-older-server", () => {
  const needs = (sql: string) => {
    const analysis = analyze(sql);
    if (!analysis.ok) throw new Error(`${sql} refused: ${analysis.detail}`);
    return analysis.minServerVersionNum;
  };

  it.each([
    ["SELECT any_value(x) FROM (VALUES (1)) v(x)", 160000],
    ["SELECT random_normal()", 160000],
    ["SELECT date_add(now(), '1 day')", 160000],
    ["SELECT date_subtract(now(), '1 day')", 160000],
    ["SELECT system_user", 160000],
    ["SELECT * FROM generate_series(now(), now(), '1 hour', 'UTC')", 160000],
    ["SELECT random(1, 10)", 170000],
    ["SELECT now() AT LOCAL", 170000],
    ["SELECT uuidv4()", 180000],
    ["SELECT uuidv7()", 180000],
    ["SELECT pg_catalog.uuidv7()", 180000],
    ["SELECT casefold('x')", 180000],
    ["SELECT array_sort(ARRAY[2, 1])", 180000],
    ["SELECT array_reverse(ARRAY[2, 1])", 180000],
    ["SELECT jsonb_strip_nulls('{}', true)", 180000],
    ["SELECT uuidv7() UNION ALL SELECT any_value(1)", 180000],
  ])("%s needs server_version_num %i", (sql, versionNum) => {
    expect(needs(sql)).toBe(versionNum);
  });

  it("built-ins every supported server has need no newer server", () => {
    expect(needs("SELECT random(), lower('A'), gen_random_uuid(), now()")).toBeUndefined();
    expect(needs("SELECT * FROM generate_series(1, 3)")).toBeUndefined();
  });

  it("a user function of a newer built-in's name needs its grant, not a version", () => {
    const analysis = analyze("SELECT app.uuidv7()");
    expect(analysis).toMatchObject({ ok: true });
    if (analysis.ok) expect(analysis.minServerVersionNum).toBeUndefined();
  });

  it("sets the version for every statement of a multi-statement text", () => {
    const settings = { ...SETTINGS, allowMultipleStatements: true };
    const analysis = analyzeText("SELECT 1; SELECT casefold('x')", settings);
    expect(analysis).toMatchObject({ ok: true, minServerVersionNum: 180000 });
  });
});

describe("write-only-token-reads-update-target", () => {
  it.each([
    "UPDATE app.secret SET a = 0",
    "UPDATE app.secret SET a = a * (1 / CASE WHEN b > 5 THEN 0 ELSE 1 END)",
  ])("%s asks for read as well as write on the target", (sql) => {
    expect(requests(sql)).toEqual(["read pg://appdb/app.secret", "write pg://appdb/app.secret"]);
  });

  it("INSERT … ON CONFLICT DO UPDATE reads the target", () => {
    const sql = "INSERT INTO app.secret VALUES (1) ON CONFLICT (a) DO UPDATE SET b = app.secret.b";
    expect(requests(sql)).toEqual(["read pg://appdb/app.secret", "write pg://appdb/app.secret"]);
  });

  it("MERGE reads the target", () => {
    const sql =
      "MERGE INTO app.secret s USING app.src c ON s.a = c.a WHEN MATCHED THEN UPDATE SET b = 1";
    expect(requests(sql)).toContain("read pg://appdb/app.secret");
  });

  it("an UPDATE in a data-modifying CTE reads its target", () => {
    const sql = "WITH u AS (UPDATE app.secret SET a = 0) SELECT 1";
    expect(requests(sql)).toContain("read pg://appdb/app.secret");
  });
});

describe("catalog-write-acts-as-set-config", () => {
  it.each([
    "UPDATE pg_catalog.pg_settings SET setting = 'x' WHERE name = 'search_path'",
    "UPDATE pg_settings SET setting = 'x' WHERE name = 'search_path'",
    "INSERT INTO pg_catalog.pg_description VALUES (1, 2, 0, 'x')",
    "DELETE FROM pg_catalog.pg_description",
    "DELETE FROM pg_description",
    "TRUNCATE information_schema.sql_features",
    "UPDATE information_schema.sql_features SET comments = 'x'",
    "DROP TABLE pg_catalog.pg_class",
    "SELECT * FROM pg_catalog.pg_class FOR UPDATE",
    "MERGE INTO pg_catalog.pg_settings s USING app.t ON true WHEN MATCHED THEN DO NOTHING",
    "WITH x AS (UPDATE pg_catalog.pg_settings SET setting = 'x') SELECT 1",
    "EXPLAIN ANALYZE UPDATE pg_catalog.pg_settings SET setting = 'x'",
    "UPDATE pg_toast.pg_toast_1 SET chunk_seq = 0",
  ])("refuses %s", (sql) => {
    expect(analyze(sql)).toMatchObject({ ok: false, reason: "unsupported-operation" });
  });

  it("still reads catalogs, and explains a catalog write without running it", () => {
    expect(requests("SELECT name FROM pg_catalog.pg_settings")).toEqual([
      "read pg://appdb/pg_catalog.pg_settings",
    ]);
    expect(analyze("EXPLAIN UPDATE pg_catalog.pg_settings SET setting = 'x'")).toMatchObject({
      ok: true,
    });
  });
});

describe("pg-prefixed-user-function", () => {
  it("an unqualified pg_ name is asked for in pg_catalog and every search-path schema", () => {
    expect(requests("SELECT pg_helper()")).toEqual([
      "write pg://appdb/app.pg_helper()",
      "write pg://appdb/pg_catalog.pg_helper()",
    ]);
  });

  it("so are other catalog names that are not on the allow-list", () => {
    expect(requests("SELECT nextval('s')")).toEqual([
      "write pg://appdb/app.nextval()",
      "write pg://appdb/pg_catalog.nextval()",
    ]);
    expect(requests("SELECT pg_read_file('/etc/passwd')")).toEqual([
      "admin pg://appdb/pg_catalog.pg_read_file()",
      "write pg://appdb/app.pg_read_file()",
    ]);
  });

  it("a qualified call names one function", () => {
    expect(requests("SELECT pg_catalog.pg_sleep(1)")).toEqual([
      "write pg://appdb/pg_catalog.pg_sleep()",
    ]);
  });
});

describe("server-administration-functions-need-admin", () => {
  it.each([
    "pg_ls_logdir()",
    "pg_ls_waldir()",
    "pg_ls_tmpdir()",
    "pg_logical_slot_get_changes('s', NULL, NULL)",
    "pg_logical_slot_peek_binary_changes('s', NULL, NULL)",
    "pg_create_logical_replication_slot('s', 'test_decoding')",
    "pg_drop_replication_slot('s')",
    "pg_replication_origin_create('o')",
    "pg_logical_emit_message(true, 'p', 'x')",
    "pg_stat_reset()",
    "pg_backup_start('x')",
    "pg_current_logfile()",
    "pg_hba_file_rules()",
    "lo_from_bytea(0, 'x')",
    "lo_open(1, 131072)",
    "lo_put(1, 0, 'x')",
    "loread(0, 10)",
    "lowrite(0, 'x')",
  ])("pg_catalog.%s needs admin", (call) => {
    const name = call.slice(0, call.indexOf("("));
    expect(requests(`SELECT pg_catalog.${call}`)).toEqual([
      `admin pg://appdb/pg_catalog.${name}()`,
    ]);
  });

  it("a notification is a write, not administration", () => {
    expect(requests("SELECT pg_catalog.pg_notify('c', 'x')")).toEqual([
      "write pg://appdb/pg_catalog.pg_notify()",
    ]);
  });
});

describe("cte-scoping-quadratic", () => {
  const withCtes = (n: number, recursive = false) => {
    const ctes = Array.from({ length: n }, (_, i) => `c${i} AS (TABLE t)`);
    return `WITH ${recursive ? "RECURSIVE " : ""}${ctes.join(", ")} SELECT * FROM c0`;
  };

  // Counts the array elements that `includes` and `slice` go through during one analysis: the
  // quadratic scoping sliced the names before each CTE and searched every visible name per
  // relation. Counting elements, not time, keeps the test deterministic.
  function elementsScanned(sql: string): number {
    let scanned = 0;
    const { includes, slice } = Array.prototype;
    const includesSpy = vi.spyOn(Array.prototype, "includes").mockImplementation(function (
      this: unknown[],
      ...args: [unknown, number?]
    ) {
      scanned += this.length;
      return includes.apply(this, args);
    });
    const sliceSpy = vi.spyOn(Array.prototype, "slice").mockImplementation(function (
      this: unknown[],
      ...args: [number?, number?]
    ) {
      const result = slice.apply(this, args);
      scanned += result.length;
      return result;
    });
    try {
      expect(analyze(sql)).toMatchObject({ ok: true });
    } finally {
      includesSpy.mockRestore();
      sliceSpy.mockRestore();
    }
    return scanned;
  }

  it.each([false, true])("grows linearly with the number of CTEs (recursive: %s)", (recursive) => {
    const small = elementsScanned(withCtes(1000, recursive));
    const large = elementsScanned(withCtes(4000, recursive));
    expect(large).toBeLessThan(small * 6);
  });

  it("still scopes CTE names as PostgreSQL does", () => {
    expect(requests("WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a, b")).toEqual([
      "read pg://appdb/app.b",
    ]);
    expect(
      requests("WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a"),
    ).toEqual([]);
    const nested =
      "WITH a AS (SELECT 1) SELECT * FROM (WITH b AS (SELECT 2) SELECT * FROM a, b) x, b";
    expect(requests(nested)).toEqual(["read pg://appdb/app.b"]);
    const shadow = "WITH t AS (SELECT 1) SELECT * FROM (WITH t AS (SELECT 2) SELECT * FROM t) x, t";
    expect(requests(shadow)).toEqual([]);
  });
});
