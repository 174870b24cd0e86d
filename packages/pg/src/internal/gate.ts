import type { Decision, DenyReason, VerifierMode } from "@pulse/core";
import { assertAllowed } from "@pulse/core";
import { authorize, currentScope } from "@pulse/core/scope";
import { PulsePgError } from "../errors.js";
import type { PgGuardOptions } from "../options.js";
import type { Analysis } from "./analyze.js";
import { analyzeText } from "./analyze.js";
import { LruCache } from "./lru.js";
import { loadParser, parserLoaded } from "./parser.js";
import type { GuardSettings } from "./settings.js";
import { guardSettings } from "./settings.js";

// Longer texts are analysed every time rather than held in memory.
const MAX_CACHED_TEXT = 8192;

const SERVER_VERSION_SQL = "SELECT pg_catalog.current_setting('server_version_num') AS v";

/**
 * The statement gate shared by a guarded pool and its clients: analyses a query text (cached),
 * then decides through core's `authorize`, which throws `PulseDeniedError` when it blocks.
 */
export class StatementGate {
  readonly settings: GuardSettings;
  readonly #options: PgGuardOptions;
  readonly #cache: LruCache<Analysis>;
  #askVersion: (() => Promise<number>) | undefined;
  #serverVersion: Promise<number> | undefined;

  constructor(options: PgGuardOptions) {
    if (typeof options?.verifier?.check !== "function") {
      throw new PulsePgError("ERR_PULSE_PG_INVALID_OPTIONS", "verifier is required");
    }
    this.settings = guardSettings(options);
    this.#options = options;
    this.#cache = new LruCache(this.settings.cacheSize);
  }

  get mode() {
    return this.#options.mode ?? this.#options.verifier.mode;
  }

  /**
   * How the gate asks the server for its version (through the pool or the client it guards),
   * for statements whose meaning depends on it.
   */
  useServerVersion(query: (sql: string) => Promise<{ rows: Array<Record<string, unknown>> }>) {
    this.#askVersion = async () => {
      const { rows } = await query(SERVER_VERSION_SQL);
      const version = Number(rows[0]?.["v"]);
      if (!Number.isSafeInteger(version)) throw new Error("server_version_num is not a number");
      return version;
    };
  }

  // The parser is PostgreSQL 18's: some of what it reads as syntax (SQL/JSON constructors), and
  // some built-ins it may call freely, are plain function names to an older server, found
  // through the search path. Such statements run only on a server known to be new enough.
  async #newerThanServer(analysis: Analysis): Promise<string | undefined> {
    const needs = analysis.ok ? analysis.minServerVersionNum : undefined;
    if (needs === undefined) return undefined;

    let version: number | undefined;
    try {
      this.#serverVersion ??= this.#askVersion?.();
      version = await this.#serverVersion;
    } catch {
      this.#serverVersion = undefined;
    }
    if (version !== undefined && version >= needs) return undefined;
    const have = version === undefined ? "an unknown server version" : `server ${version}`;
    return `the statement needs PostgreSQL server_version_num ${needs} or newer; ${have}`;
  }

  #refuse(reason: DenyReason, detail: string, mode: VerifierMode): Decision {
    const refusal = { mode, operation: "pg:refused" };
    const decision = this.#options.verifier.refuse(reason, detail, refusal);
    assertAllowed(decision);
    return decision;
  }

  /** The analysis of `text`, from the cache when it was seen before. */
  async analysis(text: unknown): Promise<Analysis> {
    if (!parserLoaded()) await loadParser();
    return this.#analysisNow(text);
  }

  #analysisNow(text: unknown): Analysis {
    if (typeof text !== "string" || text.length > MAX_CACHED_TEXT) {
      return analyzeText(text, this.settings);
    }

    const hit = this.#cache.get(text);
    if (hit !== undefined) return hit;
    const analysis = analyzeText(text, this.settings);
    this.#cache.set(text, analysis);
    return analysis;
  }

  /**
   * Decides whether `text` may run. Resolves to the decision (undefined when the statement
   * touches no resource, such as `BEGIN` or `SELECT 1`, or the mode is `off`).
   *
   * @throws PulseDeniedError when the decision blocks the statement.
   */
  async admit(text: unknown): Promise<Decision | undefined> {
    const mode = this.mode;
    if (mode === "off") return undefined;

    // Parsing is synchronous; a caller with no token at all gets no long parse for free.
    const tokenless = currentScope()?.token === undefined && this.#options.token === undefined;
    if (tokenless && typeof text === "string" && text.length > MAX_CACHED_TEXT) {
      return this.#refuse("malformed", "no capability token for a long query text", mode);
    }

    // Once the parser is loaded the cached path stays synchronous: no extra turn of the loop.
    const analysis = parserLoaded() ? this.#analysisNow(text) : await this.analysis(text);
    if (!analysis.ok) return this.#refuse(analysis.reason, analysis.detail, mode);

    const tooNew = await this.#newerThanServer(analysis);
    if (tooNew !== undefined) return this.#refuse("unsupported-operation", tooNew, mode);

    if (analysis.requests.length === 0) return undefined;
    const operation = `pg:${analysis.statements.map((s) => s.kind).join(";")}`;
    return authorize(this.#options, analysis.requests, operation);
  }
}
