// PostgreSQL's own regression scripts (/work/shared/corpora/pg-regress, or PULSE_PG_CORPUS):
// every statement is classified without an exception, no statement that writes is called a
// read, and statement kinds the guard does not understand are denied.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DENY_REASONS } from "@pulse/core";
import { describe, expect, it } from "vitest";
import type { SqlAnalysis } from "./analyze-sql.js";
import { analyzeSql } from "./analyze-sql.js";

const DIR = process.env["PULSE_PG_CORPUS"] ?? "/work/shared/corpora/pg-regress";
const FILE = join(DIR, "statements.json");

interface Statement {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly sql: string;
}

// Kinds the guard maps to data actions; every other kind must be denied.
const UNDERSTOOD = new Set([
  "SelectStmt",
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "ExplainStmt",
  "TruncateStmt",
  "TransactionStmt",
  "DropStmt",
  "CreateTableAsStmt",
]);
const WRITING_KINDS = new Set([
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "TruncateStmt",
]);

// Independent of the guard's walker: textual signs that a statement writes.
function writesByText(s: Statement): boolean {
  if (WRITING_KINDS.has(s.kind) || s.kind === "CreateTableAsStmt") return true;
  const sql = s.sql.replace(/'(?:[^']|'')*'/g, "''");
  if (s.kind === "ExplainStmt" && !/\banalyze\b/i.test(sql)) return false;
  return (
    (/\bselect\b[^;]*\binto\s+(?!strict\b)\w/i.test(sql) && s.kind === "SelectStmt") ||
    /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i.test(sql) ||
    /\bas\s+(not\s+)?(materialized\s+)?\(\s*(insert|update|delete|merge)\b/i.test(sql) ||
    /\b(nextval|setval)\s*\(/i.test(sql) ||
    (s.kind === "ExplainStmt" && /\b(insert|update|delete|merge)\b/i.test(sql))
  );
}

// Statements that look like writes to the text test but touch no relation at all.
const NO_RELATION = new Set([
  "with.sql:443", // FOR UPDATE on a recursive CTE only: PostgreSQL rejects it, nothing is locked.
]);

const run = existsSync(FILE) ? describe : describe.skip;

run("PostgreSQL regression corpus", () => {
  const statements: Statement[] = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : [];
  const results = new Map<Statement, SqlAnalysis>();

  it("classifies every statement without an exception", async () => {
    for (const s of statements) {
      const analysis = await analyzeSql(s.sql, { database: "regress", searchPath: ["public"] });
      if (!analysis.ok) expect(DENY_REASONS).toContain(analysis.reason);
      results.set(s, analysis);
    }
    expect(results.size).toBe(statements.length);
    expect(statements.length).toBeGreaterThan(3000);
  });

  it("never calls a statement that writes a read", () => {
    const wrong = statements.filter((s) => {
      const a = results.get(s)!;
      if (!a.ok || !writesByText(s) || NO_RELATION.has(`${s.file}:${s.line}`)) return false;
      return a.statements.every((st) => st.action === undefined || st.action === "read");
    });
    expect(wrong.map((s) => `${s.file}:${s.line} ${s.sql.slice(0, 80)}`)).toEqual([]);
  });

  it("denies every statement kind it does not understand", () => {
    const allowed = statements.filter((s) => !UNDERSTOOD.has(s.kind) && results.get(s)!.ok);
    expect(allowed.map((s) => `${s.kind} ${s.sql.slice(0, 60)}`)).toEqual([]);
  });

  it("still understands most data statements (the guard is not denying everything)", () => {
    const data = statements.filter((s) => UNDERSTOOD.has(s.kind));
    const ok = data.filter((s) => results.get(s)!.ok);
    expect(ok.length / data.length).toBeGreaterThan(0.9);
  });
});
