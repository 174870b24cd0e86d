// A verifier for the `vault` audience and a way to mint tokens for it, for tests.
import type { Action, MemoryAuditSink, Verifier, VerifierMode } from "@pulse/core";
import { createTestAuthority } from "@pulse/core/testing";

export const ISSUER = "https://broker.test";

export interface TokenKit {
  readonly verifier: Verifier;
  readonly audit: MemoryAuditSink;
  token(cap: ReadonlyArray<{ res: string; act: readonly Action[] }>): Promise<string>;
}

export async function tokenKit(mode: VerifierMode = "enforce"): Promise<TokenKit> {
  const authority = await createTestAuthority({ audience: "vault", issuer: ISSUER, mode });
  return {
    verifier: authority.verifier,
    audit: authority.audit,
    token: (cap) => authority.token({ cap }),
  };
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
