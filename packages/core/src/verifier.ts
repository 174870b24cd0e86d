import { createRemoteJWKSet } from "jose";
import type { AuditRecord, AuditSink } from "./audit.js";
import { ACTIONS } from "./claims.js";
import type { RequestContext } from "./context.js";
import { checkContext } from "./context.js";
import type {
  AccessRequest,
  Decision,
  DenyDecision,
  DenyReason,
  VerifierMode,
} from "./decision.js";
import { PulseOptionsError } from "./errors.js";
import { parseClaims } from "./internal/claims-schema.js";
import type { TokenRejection } from "./internal/compact-token.js";
import { precheckToken } from "./internal/compact-token.js";
import { sha256Text } from "./internal/digest.js";
import { checkRequest, contextReason, routesToStepUp } from "./internal/scope-check.js";
import type { VerifiedToken } from "./internal/verified-cache.js";
import { VerifiedTokenCache } from "./internal/verified-cache.js";
import type { KeySource } from "./internal/verify-signature.js";
import { verifySignature } from "./internal/verify-signature.js";
import type { KeySet, PublicJwks } from "./keys.js";
import { importKeySet } from "./keys.js";
import type { Logger } from "./logger.js";
import { silentLogger } from "./logger.js";
import { parseResource } from "./resource.js";
import type { RevocationChecker } from "./revocation.js";

/** A remote JWKS endpoint, fetched by jose with its cooldown and cache. */
export interface RemoteKeys {
  readonly url: string | URL;
  /** Minimum time between refetches on an unknown `kid`. Default 30 000. */
  readonly cooldownMs?: number;
  /** How long a fetched set is used before it is fetched again. Default 600 000. */
  readonly cacheMaxAgeMs?: number;
  /** Fetch timeout. Default 5 000. */
  readonly timeoutMs?: number;
}

/** Options for {@link createVerifier}. */
export interface VerifierOptions {
  /** Trusted keys: a public JWK set, an imported {@link KeySet}, or a remote JWKS. */
  readonly keys: PublicJwks | KeySet | RemoteKeys;
  /** The broker's issuer id; tokens from anyone else are refused. */
  readonly issuer: string;
  /** The audience this verifier serves, e.g. `s3` or `pg:orders`. */
  readonly audience: string;
  /** Revocation data. Pass `noRevocation()` to opt out explicitly. */
  readonly revocation: RevocationChecker;
  /** Where every decision goes. Default: nowhere. */
  readonly audit?: AuditSink;
  /** Default `enforce`. */
  readonly mode?: VerifierMode;
  /** Name in audit records. Default: the audience. */
  readonly name?: string;
  /** Allowed clock skew. Default 30. */
  readonly clockToleranceSeconds?: number;
  /** Longest token lifetime accepted (`exp - iat`). Default 900. */
  readonly maxLifetimeSeconds?: number;
  /** Tokens longer than this are refused before decoding. Default 8192. */
  readonly maxTokenBytes?: number;
  /** Digest of the running code artifact (`sha256:<hex>`), for `ctx.artifact`. */
  readonly artifactDigest?: string;
  /** Verified tokens kept in memory. Default 1024; 0 turns the cache off. */
  readonly cacheSize?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Default: silent. */
  readonly logger?: Logger;
}

/** Per-call options for {@link Verifier.check}. */
export interface CheckOptions {
  /** What the verifier is told about the caller (source address, flags). */
  readonly context?: RequestContext;
  /** Overrides the verifier's mode for this call. */
  readonly mode?: VerifierMode;
  /** A label for the audit record, e.g. the S3 command name. */
  readonly operation?: string;
}

/** Checks capability tokens. Build one per audience with {@link createVerifier}. */
export interface Verifier {
  /** The default mode. */
  readonly mode: VerifierMode;
  /** The audience this verifier serves. */
  readonly audience: string;
  /**
   * Decides whether `token` allows every one of `requests`. Never throws for bad input: every
   * problem is a `deny` with a reason code. Every decision is written to the audit sink.
   */
  check(
    token: string | undefined,
    requests: AccessRequest | readonly AccessRequest[],
    options?: CheckOptions,
  ): Promise<Decision>;
  /**
   * Records a denial the adapter decided itself (an operation it cannot map), so that it is
   * audited and enforced like any other.
   */
  refuse(reason: DenyReason, detail: string, options?: CheckOptions): DenyDecision;
  /** Drops every cached verification (after a key rotation, say). */
  clearCache(): void;
}

const MODES: readonly VerifierMode[] = ["enforce", "shadow", "off"];

// A misspelt mode must never turn enforcement off: anything that is not a known mode enforces.
function parseMode(mode: unknown, fallback: VerifierMode): VerifierMode {
  if (mode === undefined) return fallback;
  return MODES.find((m) => m === mode) ?? "enforce";
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

// Requests come from adapters, but a verifier never throws for bad input: a list that is not a
// list of well-formed requests is a malformed decision.
function requestList(requests: unknown): readonly AccessRequest[] | undefined {
  const list: unknown[] = Array.isArray(requests) ? requests : [requests];
  const valid = list.every((entry) => {
    const r = entry as Partial<AccessRequest> | null;
    return (
      isObject(r) &&
      typeof r.resource === "string" &&
      ACTIONS.includes(r.action as AccessRequest["action"]) &&
      (r.match === undefined || r.match === "exact" || r.match === "prefix")
    );
  });
  return valid ? (list as AccessRequest[]) : undefined;
}

function isRemote(keys: VerifierOptions["keys"]): keys is RemoteKeys {
  return typeof keys === "object" && keys !== null && "url" in keys;
}

async function keySource(keys: VerifierOptions["keys"]): Promise<KeySource> {
  if (keys instanceof Map) return { kind: "local", keys };

  if (isRemote(keys)) {
    const getKey = createRemoteJWKSet(new URL(keys.url), {
      cooldownDuration: keys.cooldownMs ?? 30_000,
      cacheMaxAge: keys.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: keys.timeoutMs ?? 5_000,
    });
    return { kind: "remote", getKey };
  }
  return { kind: "local", keys: await importKeySet(keys) };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new PulseOptionsError(`${name} must be >= 0`);
  return value;
}

/**
 * Builds a verifier. Keys are imported here, once; a key set that cannot be trusted whole
 * throws.
 *
 * @throws {@link PulseOptionsError}, {@link PulseKeyError}
 *
 * @example
 * ```ts
 * const verifier = await createVerifier({
 *   keys: jwks,
 *   issuer: "https://broker.internal",
 *   audience: "s3",
 *   revocation: new MemoryRevocationList({ maxStalenessMs: 30_000 }),
 *   audit: jsonLinesAuditSink((line) => process.stdout.write(line)),
 * });
 * const decision = await verifier.check(token, { resource: "s3://acme/team-a/x", action: "read" });
 * ```
 */
export async function createVerifier(options: VerifierOptions): Promise<Verifier> {
  if (typeof options.issuer !== "string" || options.issuer === "") {
    throw new PulseOptionsError("issuer is required");
  }
  if (typeof options.audience !== "string" || options.audience === "") {
    throw new PulseOptionsError("audience is required");
  }
  if (typeof options.revocation?.status !== "function") {
    throw new PulseOptionsError("revocation is required (noRevocation() opts out explicitly)");
  }
  return new TokenVerifier(options, await keySource(options.keys));
}

class TokenVerifier implements Verifier {
  readonly mode: VerifierMode;
  readonly audience: string;
  readonly #options: VerifierOptions;
  readonly #keys: KeySource;
  readonly #cache: VerifiedTokenCache;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #tolerance: number;
  readonly #maxLifetime: number;
  readonly #maxBytes: number;

  constructor(options: VerifierOptions, keys: KeySource) {
    this.mode = options.mode ?? "enforce";
    if (!MODES.includes(this.mode)) {
      throw new PulseOptionsError(`mode must be one of ${MODES.join(", ")}`);
    }
    this.audience = options.audience;
    this.#options = options;
    this.#keys = keys;
    this.#cache = new VerifiedTokenCache(positive("cacheSize", options.cacheSize, 1024));
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#tolerance = positive("clockToleranceSeconds", options.clockToleranceSeconds, 30);
    this.#maxLifetime = positive("maxLifetimeSeconds", options.maxLifetimeSeconds, 900);
    this.#maxBytes = positive("maxTokenBytes", options.maxTokenBytes, 8192);
  }

  async check(
    token: string | undefined,
    requests: AccessRequest | readonly AccessRequest[],
    options: CheckOptions = {},
  ): Promise<Decision> {
    const opts: CheckOptions = isObject(options) ? options : {};
    const mode = parseMode(opts.mode, this.mode);
    const list = requestList(requests);
    if (mode === "off") return { outcome: "allow", mode, blocked: false, requests: list ?? [] };

    let decision: Decision;
    try {
      decision =
        list === undefined
          ? denial(mode, [], { reason: "malformed", detail: "requests are not well formed" })
          : await this.#decide(token, list, isObject(opts.context) ? opts.context : {}, mode);
    } catch (error) {
      this.#logger.error?.("verifier failed; denying", { error: String(error) });
      decision = denial(mode, list ?? [], { reason: "malformed", detail: "verifier failed" });
    }
    this.#audit(decision, opts);
    return decision;
  }

  refuse(reason: DenyReason, detail: string, options: CheckOptions = {}): DenyDecision {
    const opts: CheckOptions = isObject(options) ? options : {};
    const decision = denial(parseMode(opts.mode, this.mode), [], { reason, detail });
    this.#audit(decision, opts);
    return decision;
  }

  clearCache(): void {
    this.#cache.clear();
  }

  async #decide(
    token: string | undefined,
    requests: readonly AccessRequest[],
    context: RequestContext,
    mode: VerifierMode,
  ): Promise<Decision> {
    const nowMs = this.#now();
    const now = Math.floor(nowMs / 1000);

    const verified = await this.#verified(token, nowMs);
    if ("reason" in verified) return denial(mode, requests, verified);

    const { claims } = verified;
    const deny = (r: TokenRejection, failed?: AccessRequest) =>
      denial(mode, requests, r, claims, failed);

    if (now >= claims.exp + this.#tolerance) return deny({ reason: "expired", detail: "expired" });

    if (claims.nbf > now + this.#tolerance || claims.iat > now + this.#tolerance) {
      return deny({ reason: "not-yet-valid", detail: "not valid yet" });
    }

    const revocation = await this.#revocation(claims);
    if (revocation !== undefined) return deny(revocation);

    if (requests.length === 0) return deny({ reason: "malformed", detail: "no request to check" });

    for (const request of requests) {
      const failure = checkRequest(verified, request);
      if (failure !== undefined) return deny(failure, request);
    }

    const failure = checkContext(
      claims.ctx,
      context,
      new Date(nowMs),
      this.#options.artifactDigest,
    );
    if (failure === undefined) return { outcome: "allow", mode, blocked: false, requests, claims };

    const reason = contextReason(failure);
    if (!routesToStepUp(claims.ctx.stepUp, failure))
      return deny({ reason, detail: failure.detail });

    const blocked = mode !== "shadow";
    return { outcome: "step-up", mode, blocked, requests, claims, reason, detail: failure.detail };
  }

  async #verified(token: unknown, nowMs: number): Promise<VerifiedToken | TokenRejection> {
    if (typeof token === "string" && token.length > 0 && token.length <= this.#maxBytes) {
      const hit = this.#cache.get(await sha256Text(token), Math.floor(nowMs / 1000));
      if (hit !== undefined) return hit;
    }

    const compact = precheckToken(token, this.#maxBytes);
    if ("reason" in compact) return compact;

    const check = { issuer: this.#options.issuer, audience: this.audience, now: new Date(nowMs) };
    const bad = await verifySignature(token as string, compact, this.#keys, check);
    if (bad !== undefined) return bad;

    let verified: VerifiedToken;
    try {
      const claims = parseClaims(compact.payload);
      const patterns = claims.cap.map((c) => parseResource(c.res, { pattern: true }));
      verified = { claims, patterns };
    } catch (error) {
      return { reason: "malformed", detail: (error as Error).message };
    }

    const lifetime = verified.claims.exp - Math.min(verified.claims.iat, verified.claims.nbf);
    if (lifetime > this.#maxLifetime) {
      const detail = `lifetime ${lifetime}s over the maximum ${this.#maxLifetime}s`;
      return { reason: "malformed", detail };
    }

    this.#cache.set(await sha256Text(token as string), verified);
    return verified;
  }

  async #revocation(claims: VerifiedToken["claims"]): Promise<TokenRejection | undefined> {
    const subject = {
      iss: claims.iss,
      jti: claims.jti,
      sub: claims.sub,
      grantId: claims.grt.id,
      iat: claims.iat,
    };
    try {
      const status = await this.#options.revocation.status(subject);
      if (status.state === "valid") return undefined;
      if (status.state === "revoked") return { reason: "revoked", detail: status.detail };
      return { reason: "revocation-stale", detail: `revocation data ${status.ageMs} ms old` };
    } catch (error) {
      this.#logger.warn?.("revocation checker failed", { error: String(error) });
      return { reason: "revocation-stale", detail: "revocation checker failed" };
    }
  }

  #audit(decision: Decision, options: CheckOptions): void {
    const sink = this.#options.audit;
    if (sink === undefined) return;

    try {
      const name = this.#options.name ?? this.audience;
      const pending = sink.write(auditRecord(decision, name, this.#now(), options));
      if (pending instanceof Promise) pending.catch((error) => this.#sinkFailed(error));
    } catch (error) {
      this.#sinkFailed(error);
    }
  }

  #sinkFailed(error: unknown): void {
    this.#logger.error?.("audit sink failed", { error: String(error) });
  }
}

function denial(
  mode: VerifierMode,
  requests: readonly AccessRequest[],
  rejection: TokenRejection,
  claims?: VerifiedToken["claims"],
  failed?: AccessRequest,
): DenyDecision {
  const blocked = mode !== "shadow";
  const base = { outcome: "deny" as const, mode, blocked, requests, ...rejection };
  return { ...base, ...(claims && { claims }), ...(failed && { failed }) };
}

function auditRecord(
  decision: Decision,
  verifier: string,
  nowMs: number,
  options: CheckOptions,
): AuditRecord {
  const c = decision.claims;
  const requests = decision.requests.map((r) => ({ resource: r.resource, action: r.action }));
  return {
    time: new Date(nowMs).toISOString(),
    verifier,
    outcome: decision.outcome,
    ...(decision.outcome !== "allow" && { reason: decision.reason, detail: decision.detail }),
    mode: decision.mode,
    blocked: decision.blocked,
    ...(c && { iss: c.iss, sub: c.sub, jti: c.jti, grant: c.grt }),
    requests,
    ...(options.context?.sourceIp !== undefined && { sourceIp: options.context.sourceIp }),
    ...(options.operation !== undefined && { operation: options.operation }),
  };
}
