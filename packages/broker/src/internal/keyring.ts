import type { PublicJwk, SigningKey, SigningAlgorithm } from "@pulse/core";
import { generateSigningKey } from "@pulse/core";
import { PulseBrokerError } from "../errors.js";

/** Reads the latest expiry of the tokens a key signed, from the shared issuance log. */
export type LastExpiry = (kid: string) => Promise<number | undefined>;

interface Retired {
  readonly key: SigningKey;
  /** Seconds since the epoch after which no token it signed is valid any more. */
  lastExp: number;
}

/**
 * The broker's signing keys: the current key signs; the next key is already published so that
 * verifiers know it before it signs; retired keys stay published until the last token they
 * signed has expired (plus the verifiers' clock tolerance).
 */
export class KeyRing {
  #current: SigningKey;
  #next: SigningKey | undefined;
  readonly #retired = new Map<string, Retired>();
  readonly #signedUntil = new Map<string, number>();
  readonly #toleranceSeconds: number;
  readonly #alg: SigningAlgorithm;

  constructor(current: SigningKey, toleranceSeconds: number) {
    this.#current = current;
    this.#alg = current.alg;
    this.#toleranceSeconds = toleranceSeconds;
  }

  /** Loads older keys (still published while their tokens live) and prepares the next key. */
  async init(older: readonly SigningKey[], lastExpiry: LastExpiry): Promise<void> {
    for (const key of older) {
      if (key.kid === this.#current.kid) continue;
      this.#retired.set(key.kid, { key, lastExp: (await lastExpiry(key.kid)) ?? 0 });
    }
    this.#next ??= await generateSigningKey({ alg: this.#alg });
  }

  get current(): SigningKey {
    return this.#current;
  }

  /** Notes that the current key signed a token valid until `exp`. */
  signed(kid: string, exp: number): void {
    this.#signedUntil.set(kid, Math.max(this.#signedUntil.get(kid) ?? 0, exp));
  }

  /**
   * Promotes the next key (or `replacement`) to current; the old current key is retired and
   * stays published until every token it signed has expired.
   */
  async rotate(lastExpiry: LastExpiry, replacement?: SigningKey): Promise<SigningKey> {
    const next = replacement ?? this.#next;
    if (next === undefined) throw new PulseBrokerError("ERR_PULSE_BROKER_STATE", "not started");

    const old = this.#current;
    const shared = (await lastExpiry(old.kid)) ?? 0;
    const lastExp = Math.max(shared, this.#signedUntil.get(old.kid) ?? 0);
    this.#retired.set(old.kid, { key: old, lastExp });
    this.#current = next;
    this.#next = await generateSigningKey({ alg: this.#alg });
    return next;
  }

  /** The public keys to publish at `nowSeconds`: current, next, and retired keys still needed. */
  published(nowSeconds: number): PublicJwk[] {
    const out = [this.#current.publicJwk];
    if (this.#next !== undefined) out.push(this.#next.publicJwk);
    for (const [kid, retired] of this.#retired) {
      const lastExp = Math.max(retired.lastExp, this.#signedUntil.get(kid) ?? 0);
      if (lastExp + this.#toleranceSeconds > nowSeconds) out.push(retired.key.publicJwk);
      else this.#retired.delete(kid);
    }
    return out;
  }
}
