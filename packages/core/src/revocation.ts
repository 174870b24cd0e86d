/** What a revocation checker knows about one token. */
export interface RevocationSubject {
  readonly iss: string;
  readonly jti: string;
  /** Principal id, for revocations that cover every token of a principal. */
  readonly sub: string;
  /** Grant id, for revocations that cover every token issued from a grant. */
  readonly grantId: string;
  /** Issue time of the token, seconds since the epoch. */
  readonly iat: number;
}

/** The answer of a revocation checker. */
export type RevocationStatus =
  | { readonly state: "valid" }
  | { readonly state: "revoked"; readonly detail: string }
  | { readonly state: "stale"; readonly ageMs: number };

/**
 * Tells a verifier whether a token was revoked. Keyed on the issuer and token id (plus principal
 * and grant for wider revocations), never on the token bytes. Implementations answer `stale`
 * when their data is older than their freshness bound, and the verifier then denies.
 */
export interface RevocationChecker {
  status(subject: RevocationSubject): RevocationStatus | Promise<RevocationStatus>;
}

/** One revocation: one token, every token of a principal, or every token of a grant. */
export type Revocation =
  | { readonly iss: string; readonly jti: string }
  | { readonly iss: string; readonly sub: string; readonly issuedBefore: number }
  | { readonly iss: string; readonly grantId: string; readonly issuedBefore: number };

/** Options for {@link MemoryRevocationList}. */
export interface MemoryRevocationListOptions {
  /**
   * How old the data may be, in milliseconds, before every answer is `stale`. Use `Infinity`
   * only when this list is the authority itself (an in-process broker), never for a copy fed
   * from elsewhere.
   */
  readonly maxStalenessMs: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * An in-memory revocation set with a freshness bound. Whoever feeds it (a subscriber to the
 * broker's revocation stream, a poller) calls {@link MemoryRevocationList.markFresh} after each
 * successful sync; when no sync happened within `maxStalenessMs`, {@link status} answers `stale`.
 *
 * @example
 * ```ts
 * const revocations = new MemoryRevocationList({ maxStalenessMs: 30_000 });
 * revocations.add({ iss: "https://broker.internal", jti: "0d5c…" });
 * revocations.markFresh();
 * ```
 */
export class MemoryRevocationList implements RevocationChecker {
  readonly #maxStalenessMs: number;
  readonly #now: () => number;
  readonly #tokens = new Set<string>();
  readonly #principals = new Map<string, number>();
  readonly #grants = new Map<string, number>();
  #freshAt: number;

  constructor(options: MemoryRevocationListOptions) {
    if (!(options.maxStalenessMs > 0)) throw new RangeError("maxStalenessMs must be positive");
    this.#maxStalenessMs = options.maxStalenessMs;
    this.#now = options.now ?? Date.now;
    this.#freshAt = this.#now();
  }

  /** Records a revocation. Revocations of principals and grants keep the latest cut-off. */
  add(revocation: Revocation): void {
    if ("jti" in revocation) {
      this.#tokens.add(key(revocation.iss, revocation.jti));
      return;
    }

    const [map, id] =
      "sub" in revocation ? [this.#principals, revocation.sub] : [this.#grants, revocation.grantId];
    const k = key(revocation.iss, id);
    map.set(k, Math.max(map.get(k) ?? 0, revocation.issuedBefore));
  }

  /** Records that the data is complete as of `at` (default: now). */
  markFresh(at: number = this.#now()): void {
    this.#freshAt = Math.max(this.#freshAt, at);
  }

  /** Milliseconds since the last {@link markFresh}. */
  ageMs(): number {
    return this.#now() - this.#freshAt;
  }

  /** {@inheritDoc RevocationChecker.status} */
  status(subject: RevocationSubject): RevocationStatus {
    const age = this.ageMs();
    if (age > this.#maxStalenessMs) return { state: "stale", ageMs: age };

    if (this.#tokens.has(key(subject.iss, subject.jti))) {
      return { state: "revoked", detail: "token revoked" };
    }

    const principalCut = this.#principals.get(key(subject.iss, subject.sub));
    if (principalCut !== undefined && subject.iat < principalCut) {
      return { state: "revoked", detail: "every token of the principal revoked" };
    }

    const grantCut = this.#grants.get(key(subject.iss, subject.grantId));
    if (grantCut !== undefined && subject.iat < grantCut) {
      return { state: "revoked", detail: "every token of the grant revoked" };
    }
    return { state: "valid" };
  }
}

function key(iss: string, id: string): string {
  return `${iss.length}:${iss}${id}`;
}

/**
 * A checker that never revokes anything and is always fresh.
 *
 * > **Warning:** with it, a stolen token stays usable until it expires. Use it only where tokens
 * > live for seconds, or in tests.
 */
export function noRevocation(): RevocationChecker {
  return { status: () => ({ state: "valid" }) };
}
