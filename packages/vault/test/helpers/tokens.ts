// A broker key, a verifier for the `vault` audience and a way to mint tokens, for tests.
import type { Action, Verifier, VerifierMode } from "@pulse/core";
import {
  createVerifier,
  exportJwks,
  generateSigningKey,
  MemoryAuditSink,
  mint,
  noRevocation,
} from "@pulse/core";

export const ISSUER = "https://broker.test";

export interface TokenKit {
  readonly verifier: Verifier;
  readonly audit: MemoryAuditSink;
  token(cap: ReadonlyArray<{ res: string; act: readonly Action[] }>): Promise<string>;
}

export async function tokenKit(mode: VerifierMode = "enforce"): Promise<TokenKit> {
  const key = await generateSigningKey();
  const audit = new MemoryAuditSink();
  const verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: ISSUER,
    audience: "vault",
    revocation: noRevocation(),
    audit,
    mode,
  });
  const token = (cap: ReadonlyArray<{ res: string; act: readonly Action[] }>) =>
    mint(
      {
        iss: ISSUER,
        sub: "svc:test",
        aud: "vault",
        pcl: "service",
        cap: cap.map((c) => ({ res: c.res, act: [...c.act] })),
        jus: { ref: "TEST-1", txt: "Test suite" },
        grt: { id: "test", ver: "sha256:test" },
        lifetimeSeconds: 300,
      },
      key,
    );
  return { verifier, audit, token };
}

/** The code of a rejected promise (or `undefined` when it resolved). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded: ${String(error)}`;
  }
}

/** The reason of a `PulseDeniedError` (or the code of any other error). */
export async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const e = error as { code?: string; reason?: string };
    return e.code === "ERR_PULSE_DENIED" ? e.reason : (e.code ?? String(error));
  }
}
