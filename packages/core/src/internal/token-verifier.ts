import type { RequestContext } from "../context.js";
import { checkContext } from "../context.js";
import type {
  AccessRequest,
  Decision,
  DenyDecision,
  DenyReason,
  VerifierMode,
} from "../decision.js";
import { PulseOptionsError } from "../errors.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import { parseResource } from "../resource.js";
import type { CheckOptions, RefuseOptions, Verifier, VerifierOptions } from "../verifier.js";
import { parseClaims } from "./claims-schema.js";
import type { TokenRejection } from "./compact-token.js";
import { precheckToken } from "./compact-token.js";
import { sha256Text } from "./digest.js";
import { checkRequest, contextReason, routesToStepUp } from "./scope-check.js";
import type { VerifiedToken } from "./verified-cache.js";
import { VerifiedTokenCache } from "./verified-cache.js";
import {
  auditRecord,
  denial,
  isObject,
  MODES,
  parseMode,
  requestList,
} from "./verifier-support.js";
import type { KeySource } from "./verify-signature.js";
import { verifySignature } from "./verify-signature.js";

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new PulseOptionsError(`${name} must be >= 0`);
  return value;
}

/** The verifier behind {@link createVerifier}. */
export class TokenVerifier implements Verifier {
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

  refuse(reason: DenyReason, detail: string, options: RefuseOptions = {}): DenyDecision {
    const opts: RefuseOptions = isObject(options) ? options : {};
    const requests = requestList(opts.requests ?? []) ?? [];
    const decision = denial(parseMode(opts.mode, this.mode), requests, { reason, detail });
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
    let digest: string | undefined;
    if (typeof token === "string" && token.length > 0 && token.length <= this.#maxBytes) {
      const hashed = sha256Text(token);
      digest = typeof hashed === "string" ? hashed : await hashed;
      const hit = this.#cache.get(digest, Math.floor(nowMs / 1000));
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

    if (digest !== undefined) this.#cache.set(digest, verified);
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
      const answer = this.#options.revocation.status(subject);
      const status = answer instanceof Promise ? await answer : answer;
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
