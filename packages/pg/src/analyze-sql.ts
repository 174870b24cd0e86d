import type { AccessRequest, Action, DenyReason } from "@pulse/core";
import { analyzeText } from "./internal/analyze.js";
import { loadParser } from "./internal/parser.js";
import { guardSettings } from "./internal/settings.js";
import type { PgGuardOptions } from "./options.js";

/**
 * What the guard makes of one statement.
 *
 * @example
 * ```ts
 * // DELETE FROM orders WHERE id = 1
 * { kind: "DeleteStmt", action: "delete",
 *   requests: [{ resource: "pg://appdb/public.orders", action: "delete" }, …] }
 * ```
 */
export interface StatementSummary {
  /** Top-level parse node, e.g. `SelectStmt`, `InsertStmt`. */
  readonly kind: string;
  /** The strongest action the statement needs; absent when it touches no resource. */
  readonly action?: Action;
  readonly requests: readonly AccessRequest[];
}

/**
 * What the guard makes of a query text: the requests it would check, or why it refuses it.
 *
 * @example
 * ```ts
 * const result = await analyzeSql("COPY orders TO PROGRAM 'sh'", { database: "appdb" });
 * if (!result.ok) console.log(result.reason); // "unsupported-operation"
 * ```
 */
export type SqlAnalysis =
  | {
      readonly ok: true;
      readonly statements: readonly StatementSummary[];
      readonly requests: readonly AccessRequest[];
      /**
       * The oldest PostgreSQL (`server_version_num`) that runs the text as analysed; the guard
       * refuses it on an older server. Absent when every supported server reads it alike.
       */
      readonly minServerVersionNum?: number;
    }
  | { readonly ok: false; readonly reason: DenyReason; readonly detail: string };

/**
 * The options {@link analyzeSql} reads: the resolution settings of a guard, without a verifier.
 *
 * @example
 * ```ts
 * const options: AnalyzeSqlOptions = { database: "appdb", searchPath: ["sales"] };
 * ```
 */
export type AnalyzeSqlOptions = Pick<
  PgGuardOptions,
  "database" | "searchPath" | "allowMultipleStatements" | "maxQueryLength"
>;

/**
 * Analyses a query text exactly as the guard does, without a token or a server: which
 * resources it touches with which actions, or the reason the guard refuses it. Useful to see
 * what a grant must contain, in tests and in tooling.
 *
 * @param text - One or more SQL statements.
 * @param options - `database` is required; the rest as for `guardPool`.
 * @returns The analysis; never throws for bad SQL.
 *
 * @example
 * ```ts
 * const result = await analyzeSql("DELETE FROM orders WHERE id = $1", { database: "appdb" });
 * // { ok: true, requests: [{ resource: "pg://appdb/public.orders", action: "delete" }, …] }
 * ```
 */
export async function analyzeSql(text: string, options: AnalyzeSqlOptions): Promise<SqlAnalysis> {
  const settings = guardSettings(options);
  await loadParser();
  const analysis = analyzeText(text, settings);
  if (!analysis.ok) return analysis;
  const statements = analysis.statements.map(({ kind, action, requests }) =>
    action === undefined ? { kind, requests } : { kind, action, requests },
  );
  const { requests, minServerVersionNum: needs } = analysis;
  return {
    ok: true,
    statements,
    requests,
    ...(needs !== undefined && { minServerVersionNum: needs }),
  };
}
