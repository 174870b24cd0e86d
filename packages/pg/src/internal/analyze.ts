import type { AccessRequest, Action, DenyReason } from "@pulse/core";
import { EXPRESSION_HANDLERS } from "./expression-handlers.js";
import { parseSql } from "./parser.js";
import { Refusal, unsupported } from "./refusal.js";
import type { ResolveSettings } from "./resolve.js";
import { toRequests } from "./resolve.js";
import { STATEMENT_HANDLERS, TOP_LEVEL_KINDS } from "./statement-handlers.js";
import { TreeWalker } from "./tree-walker.js";

/** What the guard learnt about one statement. */
export interface StatementAnalysis {
  /** Top-level parse node, e.g. `SelectStmt`. */
  readonly kind: string;
  /** The strongest action the statement needs; undefined when it touches no resource. */
  readonly action: Action | undefined;
  readonly requests: readonly AccessRequest[];
}

/** The analysis of a whole query text: allowed to go to the token check, or refused. */
export type Analysis =
  | {
      readonly ok: true;
      readonly statements: readonly StatementAnalysis[];
      /** Every request of every statement, without duplicates. */
      readonly requests: readonly AccessRequest[];
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
  return { kind, action: strongest(requests), requests };
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
    return { ok: true, statements, requests: [...unique.values()] };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, detail: error.detail };
    if (error instanceof RangeError) {
      return { ok: false, reason: "unsupported-operation", detail: "statement nested too deeply" };
    }
    return { ok: false, reason: "malformed", detail: "the statement could not be analysed" };
  }
}
