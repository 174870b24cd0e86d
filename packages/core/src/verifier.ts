import { createRemoteJWKSet } from "jose";
import type { AuditSink } from "./audit.js";
import type { RequestContext } from "./context.js";
import type {
  AccessRequest,
  Decision,
  DenyDecision,
  DenyReason,
  VerifierMode,
} from "./decision.js";
import { PulseOptionsError } from "./errors.js";
import { TokenVerifier } from "./internal/token-verifier.js";
import type { KeySource } from "./internal/verify-signature.js";
import type { KeySet, PublicJwks } from "./keys.js";
import { importKeySet } from "./keys.js";
import type { Logger } from "./logger.js";
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

/** Options for {@link Verifier.refuse}: those of a check, plus what the operation asked for. */
export interface RefuseOptions extends CheckOptions {
  /** The requests the refused operation made, when the adapter knows them (for the audit). */
  readonly requests?: readonly AccessRequest[];
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
  refuse(reason: DenyReason, detail: string, options?: RefuseOptions): DenyDecision;
  /** Drops every cached verification (after a key rotation, say). */
  clearCache(): void;
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
