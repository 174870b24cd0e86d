import type { AccessRequest, Action, Logger } from "@pulse/core";
import type { TokenProvider } from "@pulse/core/scope";
import type { RetryOptions } from "./internal/backoff.js";
import { ScopedTokenCache } from "./internal/token-cache.js";

/**
 * How the application proves who it is to the broker: an identity JWT (or a function returning
 * a fresh one, called for every broker request), or a static development key.
 */
export type IdentitySource =
  string | (() => string | Promise<string>) | { readonly developmentKey: string };

/** Options for {@link createTokenSource}. Times are in the units their names say. */
export interface TokenSourceOptions {
  /** The broker's base URL, e.g. `http://127.0.0.1:8600/`. */
  readonly broker: string | URL;
  readonly identity: IdentitySource;
  /**
   * Audience for {@link TokenSource.getToken} when the call names none. Default: the resource's
   * scheme (`s3`, `pg`, `vault`).
   */
  readonly audience?: string;
  /** Share of a token's lifetime after which it is refreshed. Default 0.8. */
  readonly refreshAtRatio?: number;
  /** Retries of transient failures (unreachable broker, 429, 5xx). */
  readonly retry?: RetryOptions;
  /** Timeout of one broker request. Default 5000. */
  readonly timeoutMs?: number;
  /** Scopes kept in the cache. Default 256. */
  readonly cacheSize?: number;
  /** Default: global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Default: silent. */
  readonly logger?: Logger;
}

/** Hands out capability tokens for the operations an application is about to run. */
export interface TokenSource {
  /**
   * A token for one resource and action, from the cache when one is fresh enough.
   *
   * @throws {@link PulseTokenDeniedError} (`ERR_PULSE_TOKEN_DENIED`),
   *   {@link PulseStepUpRequiredError} (`ERR_PULSE_STEP_UP_REQUIRED`), or
   *   {@link PulseClientError} (`ERR_PULSE_BROKER_UNAVAILABLE`, `ERR_PULSE_IDENTITY_REJECTED`,
   *   `ERR_PULSE_BROKER_REJECTED_REQUEST`).
   */
  getToken(request: {
    readonly resource: string;
    readonly action: Action;
    readonly audience?: string;
  }): Promise<string>;
  /** A token covering every one of `requests` for `audience`. Same errors as `getToken`. */
  getTokenFor(need: {
    readonly audience: string;
    readonly requests: readonly AccessRequest[];
  }): Promise<string>;
  /** The token provider for the `token` option of the s3, pg and vault guards. */
  readonly provider: TokenProvider;
  /** Forgets every cached token. */
  clear(): void;
}

/**
 * Creates a token source. Tokens are cached per scope (audience plus the requested resources
 * and actions), refreshed once about 80 % of their lifetime has passed, and requests for the
 * same scope made at the same time share one broker call. When the broker cannot be reached,
 * a cached token is served until it expires.
 *
 * @throws {@link PulseClientError} `ERR_PULSE_CLIENT_OPTIONS` for invalid options.
 *
 * @example
 * ```ts
 * const tokens = createTokenSource({ broker: "https://broker.internal/", identity: readJwt });
 * const s3 = new S3Client({});
 * s3.middlewareStack.use(getPulseS3Plugin({ verifier, token: tokens.provider }));
 * const t = await tokens.getToken({ resource: "s3://acme/team-a/r.csv", action: "read" });
 * ```
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const cache = new ScopedTokenCache(options);
  return {
    getToken: (r) =>
      cache.get(r.audience ?? options.audience ?? schemeOf(r.resource), [
        { resource: r.resource, action: r.action },
      ]),
    getTokenFor: (need) => cache.get(need.audience, need.requests),
    provider: (need) => cache.get(need.audience, need.requests),
    clear: () => cache.clear(),
  };
}

function schemeOf(resource: string): string {
  const end = resource.indexOf("://");
  return end > 0 ? resource.slice(0, end) : resource;
}
