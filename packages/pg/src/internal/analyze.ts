import type { AccessRequest, Action, DenyReason } from "@pulse/core";
import { EXPRESSION_HANDLERS } from "./expression-handlers.js";
import { parseSql } from "./parser.js";
import { Refusal, unsupported } from "./refusal.js";
import type { ResolveSettings } from "./resolve.js";
import { builtinsServerVersion, toRequests } from "./resolve.js";
import { STATEMENT_HANDLERS, TOP_LEVEL_KINDS } from "./statement-handlers.js";
import { TreeWalker } from "./tree-walker.js";

/** What the guard learnt about one statement. */
export interface StatementAnalysis {
  /** Top-level parse node, e.g. `SelectStmt`. */
  readonly kind: string;
  /** The strongest action the statement needs; undefined when it touches no resource. */
  readonly action: Action | undefined;
  readonly requests: readonly AccessRequest[];
  /** The lowest `server_version_num` that runs the statement as analysed; absent: any. */
  readonly minServerVersionNum?: number;
}

/** The analysis of a whole query text: allowed to go to the token check, or refused. */
export type Analysis =
  | {
      readonly ok: true;
      readonly statements: readonly StatementAnalysis[];
      /** Every request of every statement, without duplicates. */
      readonly requests: readonly AccessRequest[];
      /**
       * The highest PostgreSQL `server_version_num` the text needs (e.g. `160000`, `170000`,
       * `180000`); absent when every supported server runs it the same way. It is set by SQL/JSON
       * syntax (`JSON_ARRAY(…)` since 16, `JSON(…)`, `JSON_VALUE(…)`, `JSON_TABLE` since 17) and
       * by allow-listed built-ins added in later releases (`any_value` since 16, `uuidv7` since
       * 18, `random(min, max)` since 17, …).
       *
       * > **Warning:** the analysis is only valid on a server at least this new. An older server
       * > parses the SQL/JSON syntax as ordinary function calls, and finds no built-in for the
       * > newer names, so it resolves both through the search path to whatever user function
       * > has the name, which no request covers. The gate refuses the text on an older server
       * > with `unsupported-operation`.
       */
      readonly minServerVersionNum?: number;
    }
  | { readonly ok: false; readonly reason: DenyReason; readonly detail: string };

/** Settings of one analysis. */
export interface AnalyzeSettings extends ResolveSettings {
  readonly allowMultipleStatements: boolean;
  readonly maxQueryLength: number;
}

const HANDLERS = { ...STATEMENT_HANDLERS, ...EXPRESSION_HANDLERS };
const RANK: Record<Action, number> = { read: 0, list: 1, write: 2, delete: 3, admin: 4 };

function strongest(requests: readonly AccessRequest[]): Action | undefined {
  let best: Action | undefined;
  for (const { action } of requests)
    if (best === undefined || RANK[action] > RANK[best]) best = action;
  return best;
}

function analyzeStatement(stmt: unknown, settings: AnalyzeSettings): StatementAnalysis {
  const node = (stmt as { stmt?: Record<string, unknown> })?.stmt;
  if (node === undefined) throw new Refusal("malformed", "empty statement");

  const kind = Object.keys(node)[0] ?? "";
  if (!TOP_LEVEL_KINDS.has(kind)) throw unsupported(`${kind} is not allowed through the guard`);

  const walker = new TreeWalker(HANDLERS);
  walker.visit(node);
  const requests = toRequests(walker.relations, walker.functions, settings);
  const versionNum = Math.max(walker.minServerVersionNum, builtinsServerVersion(walker.functions));
  const analysis = { kind, action: strongest(requests), requests };
  return versionNum > 0 ? { ...analysis, minServerVersionNum: versionNum } : analysis;
}

function parse(text: string): unknown[] {
  try {
    return parseSql(text).stmts ?? [];
  } catch (error) {
    const message = error instanceof Error ? error.message : "parse error";
    throw new Refusal("malformed", `not valid SQL: ${message.slice(0, 200)}`);
  }
}

/**
 * Analyses a query text with the Postgres parser (which must be loaded). Never throws: every
 * problem is a refusal with a reason code.
 */
export function analyzeText(text: unknown, settings: AnalyzeSettings): Analysis {
  try {
    if (typeof text !== "string") throw new Refusal("malformed", "query text is not a string");
    if (text.length > settings.maxQueryLength) {
      throw new Refusal("malformed", `query text longer than ${settings.maxQueryLength}`);
    }

    const stmts = parse(text);
    if (stmts.length === 0) throw new Refusal("malformed", "empty query text");
    if (stmts.length > 1 && !settings.allowMultipleStatements) {
      throw unsupported(`${stmts.length} statements in one query text`);
    }

    const statements = stmts.map((stmt) => analyzeStatement(stmt, settings));
    const unique = new Map(
      statements.flatMap((s) => s.requests).map((r) => [`${r.action} ${r.resource}`, r]),
    );
    const requests = [...unique.values()];
    const versionNum = statements.reduce((n, s) => Math.max(n, s.minServerVersionNum ?? 0), 0);
    if (versionNum === 0) return { ok: true, statements, requests };
    return { ok: true, statements, requests, minServerVersionNum: versionNum };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, detail: error.detail };
    if (error instanceof RangeError) {
      return { ok: false, reason: "unsupported-operation", detail: "statement nested too deeply" };
    }
    return { ok: false, reason: "malformed", detail: "the statement could not be analysed" };
  }
}
