// Regression tests for the red-team findings on the statement analysis, one per fault.
import { beforeAll, describe, expect, it } from "vitest";
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
