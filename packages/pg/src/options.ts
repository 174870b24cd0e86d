import type { GuardOptions } from "@pulse/core/scope";

/**
 * Options of {@link guardPool} and {@link guardClient}: the options every PULSE adapter shares
 * (verifier, mode, token, context) plus what the Postgres guard needs.
 *
 * @example
 * ```ts
 * const options: PgGuardOptions = {
 *   verifier,               // createVerifier({ audience: "pg:appdb", … })
 *   database: "appdb",
 *   searchPath: ["sales"],
 *   mode: "shadow",         // run everything, audit what would have been denied
 * };
 * ```
 */
export interface PgGuardOptions extends GuardOptions {
  /** Database name used in resources: `pg://<database>/schema.table`. Required. */
  readonly database: string;
  /**
   * Schemas that unqualified names resolve through, in order. The guard pins
   * `search_path = pg_catalog, <these>, pg_temp` on every connection it hands out. Default
   * `["public"]`. With more than one schema an unqualified name needs a grant in each.
   */
  readonly searchPath?: readonly string[];
  /** Analysed statements kept, by text (LRU). Default 1000; 0 turns the cache off. */
  readonly cacheSize?: number;
  /**
   * Let a text hold several statements (each must pass). Default false: such a text is
   * denied with `unsupported-operation`.
   */
  readonly allowMultipleStatements?: boolean;
  /**
   * Longer query texts are denied as `malformed`. Default 262 144 characters: parsing is
   * synchronous, so a huge text holds the event loop while it is parsed.
   */
  readonly maxQueryLength?: number;
  /**
   * Inside a transaction, set the verified claims (JSON) as the transaction-local setting
   * `pulse.claims` before the first checked statement, so row-level security policies can read
   * them with `current_setting('pulse.claims', true)`. Default false.
   */
  readonly setClaims?: boolean;
}
