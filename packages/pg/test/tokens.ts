// A verifier for the `pg:appdb` audience and a way to mint tokens for it, for tests.
import type { AuditRecord, Capability, MemoryAuditSink, Verifier, VerifierMode } from "@pulse/core";
import { createTestAuthority } from "@pulse/core/testing";

export const ISSUER = "https://broker.test";
export const AUDIENCE = "pg:appdb";

export interface TestAuthority {
  readonly verifier: Verifier;
  readonly audit: MemoryAuditSink;
  token(cap: readonly Capability[], sub?: string): Promise<string>;
  records(): readonly AuditRecord[];
}

export async function testAuthority(mode: VerifierMode = "enforce"): Promise<TestAuthority> {
  const authority = await createTestAuthority({ audience: AUDIENCE, issuer: ISSUER, mode });
  return {
    verifier: authority.verifier,
    audit: authority.audit,
    records: () => authority.audit.records,
    token: (cap, sub) => authority.token({ cap, ...(sub !== undefined && { sub }) }),
  };
}
