/**
 * Test helpers: an in-memory signing key, a verifier that trusts it, and a way to mint tokens,
 * so that code using guarded clients can be tested without a broker.
 *
 * > **Warning:** for tests only. The key lives in memory, revocation data never goes stale and
 * > every token carries a placeholder justification and grant.
 *
 * @packageDocumentation
 */
import { MemoryAuditSink } from "./audit.js";
import type { Capability, ContextConstraints, PrincipalClass } from "./claims.js";
import type { VerifierMode } from "./decision.js";
import type { SigningKey } from "./keys.js";
import { exportJwks, generateSigningKey } from "./keys.js";
import { mint } from "./mint.js";
import { MemoryRevocationList } from "./revocation.js";
import type { Verifier, VerifierOptions } from "./verifier.js";
import { createVerifier } from "./verifier.js";

/** Options for {@link createTestAuthority}. */
export interface TestAuthorityOptions {
  /** The audience of the tokens and of the verifier, e.g. `s3` or `pg:appdb`. */
  readonly audience: string;
  /** Default `https://broker.test`. */
  readonly issuer?: string;
  /** The mode of {@link TestAuthority.verifier}. Default `enforce`. */
  readonly mode?: VerifierMode;
}

/** What a test token says; everything but `cap` has a default. */
export interface TestTokenInput {
  readonly cap: readonly Capability[];
  readonly ctx?: ContextConstraints;
  /** Default `svc:test`. */
  readonly sub?: string;
  /** Default `service`. */
  readonly pcl?: PrincipalClass;
  /** Default 300. */
  readonly lifetimeSeconds?: number;
  readonly jti?: string;
  /** Default `test-grant`. */
  readonly grantId?: string;
  /** The clock the token is minted at (milliseconds), for expired or future tokens. */
  readonly now?: () => number;
}

/** A test broker in miniature. */
export interface TestAuthority {
  readonly issuer: string;
  readonly audience: string;
  readonly key: SigningKey;
  /** Every decision of every verifier built here. */
  readonly audit: MemoryAuditSink;
  /** Revocations every verifier built here honours (never stale). */
  readonly revocations: MemoryRevocationList;
  /** A verifier trusting the key, in the authority's mode. */
  readonly verifier: Verifier;
  /** Another verifier trusting the key, with some options changed (a mode, a clock). */
  verifierWith(options: Partial<VerifierOptions>): Promise<Verifier>;
  /** Mints a token for the authority's audience. */
  token(input: TestTokenInput): Promise<string>;
}

/**
 * Creates a key, a verifier that trusts it, and a way to mint tokens, for tests.
 *
 * @example
 * ```ts
 * const authority = await createTestAuthority({ audience: "s3" });
 * const s3 = withPulse(new S3Client(config), { verifier: authority.verifier });
 * const token = await authority.token({ cap: [{ res: "s3://acme/team-a/*", act: ["read"] }] });
 * await runWithToken(token, () => s3.send(new GetObjectCommand({ Bucket: "acme", Key })));
 * expect(authority.audit.records.at(-1)?.outcome).toBe("allow");
 * ```
 */
export async function createTestAuthority(options: TestAuthorityOptions): Promise<TestAuthority> {
  const issuer = options.issuer ?? "https://broker.test";
  const { audience } = options;
  const key = await generateSigningKey();
  const audit = new MemoryAuditSink();
  const revocations = new MemoryRevocationList({ maxStalenessMs: Number.POSITIVE_INFINITY });
  const verifierWith = (changes: Partial<VerifierOptions>) =>
    createVerifier({
      keys: exportJwks([key]),
      issuer,
      audience,
      revocation: revocations,
      audit,
      ...(options.mode !== undefined && { mode: options.mode }),
      ...changes,
    });

  const token = (input: TestTokenInput) =>
    mint(
      {
        iss: issuer,
        sub: input.sub ?? "svc:test",
        aud: audience,
        pcl: input.pcl ?? "service",
        cap: input.cap.map((c) => ({ res: c.res, act: [...c.act] })),
        ...(input.ctx !== undefined && { ctx: input.ctx }),
        jus: { ref: "TEST-1", txt: "Issued by a test authority" },
        grt: { id: input.grantId ?? "test-grant", ver: "sha256:test" },
        lifetimeSeconds: input.lifetimeSeconds ?? 300,
        ...(input.jti !== undefined && { jti: input.jti }),
      },
      key,
      input.now === undefined ? {} : { now: input.now },
    );

  const verifier = await verifierWith({});
  return { issuer, audience, key, audit, revocations, verifier, verifierWith, token };
}
