import type { AccessRequest, Logger } from "@pulse/core";
import { silentLogger } from "@pulse/core";
import { PulseClientError } from "../errors.js";
import type { IdentitySource, TokenSourceOptions } from "../token-source.js";
import { withRetries } from "./backoff.js";
import type { IssuedToken } from "./broker-call.js";
import { requestToken, TransientFailure } from "./broker-call.js";

interface Entry {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

/** Milliseconds before expiry at which a cached token is no longer handed out. */
const EXPIRY_MARGIN_MS = 1000;

/** The cache behind `createTokenSource`: per scope, refresh ahead, single flight. */
export class ScopedTokenCache {
  readonly #options: TokenSourceOptions;
  readonly #url: URL;
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<string>>();
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #ratio: number;
  readonly #size: number;

  constructor(options: TokenSourceOptions) {
    const fail = (m: string) => new PulseClientError("ERR_PULSE_CLIENT_OPTIONS", m);
    let url: URL;
    try {
      url = new URL(options.broker);
    } catch {
      throw fail("broker must be a URL");
    }
    if (!url.pathname.endsWith("/")) url.pathname += "/";

    if (options.identity === undefined || options.identity === "")
      throw fail("identity is required");

    const ratio = options.refreshAtRatio ?? 0.8;
    if (!(ratio > 0 && ratio <= 1)) throw fail("refreshAtRatio must be in (0, 1]");

    this.#options = options;
    this.#url = url;
    this.#ratio = ratio;
    this.#size = Math.max(1, options.cacheSize ?? 256);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
  }

  clear(): void {
    this.#entries.clear();
  }

  async get(audience: string, requests: readonly AccessRequest[]): Promise<string> {
    const key = scopeKey(audience, requests);
    const entry = this.#entries.get(key);
    const now = this.#now();
    if (entry !== undefined && now < entry.refreshAt) return entry.token;

    try {
      return await this.#refresh(key, audience, requests);
    } catch (error) {
      const usable = entry !== undefined && this.#now() < entry.expiresAt - EXPIRY_MARGIN_MS;
      if (usable && isUnavailable(error)) {
        this.#logger.warn?.("broker unavailable; serving the cached token until it expires", {
          audience,
        });
        return entry.token;
      }
      if (!isUnavailable(error)) this.#entries.delete(key);
      throw error;
    }
  }

  #refresh(key: string, audience: string, requests: readonly AccessRequest[]): Promise<string> {
    const pending = this.#inflight.get(key);
    if (pending !== undefined) return pending;

    const started = this.#now();
    const work = this.#fetch(audience, requests)
      .then((issued) => {
        this.#store(key, issued, started);
        return issued.token;
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, work);
    return work;
  }

  async #fetch(audience: string, requests: readonly AccessRequest[]): Promise<IssuedToken> {
    const o = this.#options;
    try {
      return await withRetries(
        async () =>
          requestToken({
            url: this.#url,
            authorization: await authorization(o.identity),
            audience,
            requests,
            timeoutMs: o.timeoutMs ?? 5000,
            fetch: o.fetch ?? fetch,
          }),
        (error) => error instanceof TransientFailure,
        o.retry ?? {},
      );
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      throw new PulseClientError("ERR_PULSE_BROKER_UNAVAILABLE", error.message, { cause: error });
    }
  }

  #store(key: string, issued: IssuedToken, startedAt: number): void {
    const lifetimeMs = issued.expiresInSeconds * 1000;
    const entry = {
      token: issued.token,
      refreshAt: startedAt + lifetimeMs * this.#ratio,
      expiresAt: startedAt + lifetimeMs,
    };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#size) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}

async function authorization(identity: IdentitySource): Promise<string> {
  if (typeof identity === "object") return `PulseDevKey ${identity.developmentKey}`;
  const jwt = typeof identity === "function" ? await identity() : identity;
  return `Bearer ${jwt}`;
}

function isUnavailable(error: unknown): boolean {
  return (error as { code?: string })?.code === "ERR_PULSE_BROKER_UNAVAILABLE";
}

function scopeKey(audience: string, requests: readonly AccessRequest[]): string {
  const parts = requests.map((r) => JSON.stringify([r.resource, r.action])).sort();
  return JSON.stringify([audience, [...new Set(parts)]]);
}
