import type { Capability, ContextConstraints, VerifierMode } from "@pulse/core";
import {
  createVerifier,
  exportJwks,
  generateSigningKey,
  MemoryAuditSink,
  MemoryRevocationList,
  mint,
} from "@pulse/core";

export const ISSUER = "https://broker.test";

/** The grant most tests use: read and write under team-a/ of acme-reports. */
export const TEAM_A: Capability = {
  res: "s3://acme-reports/team-a/*",
  act: ["read", "write", "delete", "list"],
};

export interface Broker {
  readonly audit: MemoryAuditSink;
  readonly revocations: MemoryRevocationList;
  verifier(mode?: VerifierMode): ReturnType<typeof createVerifier>;
  token(options?: {
    cap?: readonly Capability[];
    ctx?: ContextConstraints;
    lifetimeSeconds?: number;
    jti?: string;
    now?: () => number;
  }): Promise<string>;
}

/** A key, a revocation list, an audit sink, and ways to mint tokens and build verifiers. */
export async function testBroker(): Promise<Broker> {
  const key = await generateSigningKey();
  const audit = new MemoryAuditSink();
  const revocations = new MemoryRevocationList({ maxStalenessMs: Number.POSITIVE_INFINITY });

  return {
    audit,
    revocations,
    verifier: (mode = "enforce") =>
      createVerifier({
        keys: exportJwks([key]),
        issuer: ISSUER,
        audience: "s3",
        revocation: revocations,
        audit,
        mode,
      }),
    token: (options = {}) =>
      mint(
        {
          iss: ISSUER,
          sub: "svc:reporting",
          aud: "s3",
          pcl: "service",
          cap: options.cap ?? [TEAM_A],
          ...(options.ctx && { ctx: options.ctx }),
          jus: { ref: "CHG-1042", txt: "Nightly report export" },
          grt: { id: "reporting-export", ver: "sha256:test" },
          lifetimeSeconds: options.lifetimeSeconds ?? 300,
          ...(options.jti && { jti: options.jti }),
        },
        key,
        options.now ? { now: options.now } : {},
      ),
  };
}
