import type { CapabilityClaims } from "../claims.js";
import type { ResourceName } from "../resource.js";

/** A token whose signature and claims were verified once. */
export interface VerifiedToken {
  readonly claims: CapabilityClaims;
  /** Parsed `cap` patterns, in claim order. */
  readonly patterns: readonly ResourceName[];
}

/**
 * A bounded map from token digest to verified claims, least recently used out first, and every
 * entry gone once its token has expired. Only signature and claim-shape results are cached:
 * time, revocation, scope and context are checked on every decision.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(digest: string, nowSeconds: number): VerifiedToken | undefined {
    const entry = this.#entries.get(digest);
    if (entry === undefined) return undefined;

    this.#entries.delete(digest);
    if (entry.claims.exp <= nowSeconds) return undefined;

    this.#entries.set(digest, entry);
    return entry;
  }

  set(digest: string, entry: VerifiedToken): void {
    if (this.#capacity <= 0) return;
    this.#entries.delete(digest);
    while (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(digest, entry);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
