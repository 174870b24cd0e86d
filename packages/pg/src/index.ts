/**
 * `@pulse/pg`: a PULSE guard for node-postgres. Every statement sent through a guarded pool or
 * client is analysed with the real Postgres parser (libpg-query) and checked against the
 * capability token of the current request before it reaches PostgreSQL.
 *
 * @packageDocumentation
 */
export type { AnalyzeSqlOptions, SqlAnalysis, StatementSummary } from "./analyze-sql.js";
export { analyzeSql } from "./analyze-sql.js";
export type { PulsePgErrorCode } from "./errors.js";
export { PulsePgError } from "./errors.js";
export { guardClient, guardPool } from "./guard.js";
export type { PgGuardOptions } from "./options.js";
