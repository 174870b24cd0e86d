import type {
  Capability,
  ContextConstraints,
  MemoryAuditSink,
  MemoryRevocationList,
  Verifier,
  VerifierMode,
} from "@pulse/core";
import { createTestAuthority } from "@pulse/core/testing";

export const ISSUER = "https://broker.test";

/** The grant most tests use: read and write under team-a/ of acme-reports. */
export const TEAM_A: Capability = {
  res: "s3://acme-reports/team-a/*",
  act: ["read", "write", "delete", "list"],
};

export interface Broker {
  readonly audit: MemoryAuditSink;
  readonly revocations: MemoryRevocationList;
  verifier(mode?: VerifierMode): Promise<Verifier>;
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
  const authority = await createTestAuthority({ audience: "s3", issuer: ISSUER });
  return {
    audit: authority.audit,
    revocations: authority.revocations,
    verifier: (mode = "enforce") => authority.verifierWith({ mode }),
    token: (options = {}) =>
      authority.token({
        sub: "svc:reporting",
        cap: options.cap ?? [TEAM_A],
        grantId: "reporting-export",
        ...(options.ctx && { ctx: options.ctx }),
        ...(options.lifetimeSeconds !== undefined && { lifetimeSeconds: options.lifetimeSeconds }),
        ...(options.jti && { jti: options.jti }),
        ...(options.now && { now: options.now }),
      }),
  };
}
