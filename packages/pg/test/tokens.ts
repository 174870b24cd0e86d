// A broker key, a verifier for the `pg:appdb` audience, and a way to mint tokens for tests.
import type { AuditRecord, Capability, Verifier, VerifierMode } from "@pulse/core";
import {
  createVerifier,
  exportJwks,
  generateSigningKey,
  MemoryAuditSink,
  mint,
  noRevocation,
} from "@pulse/core";

export const ISSUER = "https://broker.test";
export const AUDIENCE = "pg:appdb";

export interface TestAuthority {
  readonly verifier: Verifier;
  readonly audit: MemoryAuditSink;
  token(cap: readonly Capability[], sub?: string): Promise<string>;
  records(): readonly AuditRecord[];
}

export async function testAuthority(mode: VerifierMode = "enforce"): Promise<TestAuthority> {
  const key = await generateSigningKey();
  const audit = new MemoryAuditSink();
  const verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: ISSUER,
    audience: AUDIENCE,
    revocation: noRevocation(),
    audit,
    mode,
  });
  return {
    verifier,
    audit,
    records: () => audit.records,
    token: (cap, sub = "svc:test") =>
      mint(
        {
          iss: ISSUER,
          sub,
          aud: AUDIENCE,
          pcl: "service",
          cap: [...cap],
          jus: { ref: "TEST-1", txt: "test" },
          grt: { id: "test-grant", ver: "v1" },
          lifetimeSeconds: 300,
        },
        key,
      ),
  };
}
