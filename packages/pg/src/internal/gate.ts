import type { Decision } from "@pulse/core";
import { assertAllowed } from "@pulse/core";
import { authorize } from "@pulse/core/scope";
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

/**
 * The statement gate shared by a guarded pool and its clients: analyses a query text (cached),
 * then decides through core's `authorize`, which throws `PulseDeniedError` when it blocks.
 */
export class StatementGate {
  readonly settings: GuardSettings;
  readonly #options: PgGuardOptions;
  readonly #cache: LruCache<Analysis>;

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

    // Once the parser is loaded the cached path stays synchronous: no extra turn of the loop.
    const analysis = parserLoaded() ? this.#analysisNow(text) : await this.analysis(text);
    if (!analysis.ok) {
      const operation = "pg:refused";
      const decision = this.#options.verifier.refuse(analysis.reason, analysis.detail, {
        mode,
        operation,
      });
      assertAllowed(decision);
      return decision;
    }

    if (analysis.requests.length === 0) return undefined;
    const operation = `pg:${analysis.statements.map((s) => s.kind).join(";")}`;
    return authorize(this.#options, analysis.requests, operation);
  }
}
