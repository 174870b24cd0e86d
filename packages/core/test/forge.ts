// Test-only helpers: build tokens from raw header and payload text, so tests can produce what
// `mint` never would (duplicate members, foreign headers, other algorithms).
import { createHmac } from "node:crypto";
import type { MintInput, SigningKey } from "../src/index.js";
import {
  exportJwks,
  generateSigningKey,
  MemoryAuditSink,
  MemoryRevocationList,
} from "../src/index.js";
import { createVerifier, type VerifierOptions } from "../src/verifier.js";

export const ISSUER = "https://broker.test";

export function b64(text: string | Uint8Array): string {
  return Buffer.from(text).toString("base64url");
}

/** Signs `header.payload` (raw JSON text) with the key's real private key. */
export async function signRaw(header: string, payload: string, key: SigningKey): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const alg = key.alg === "EdDSA" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" };
  const signature = await crypto.subtle.sign(alg, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64(new Uint8Array(signature))}`;
}

/** HMAC-signs `header.payload` with `secret`, the classic algorithm-confusion forgery. */
export function signHmac(header: string, payload: string, secret: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

export function claims(overrides: Record<string, unknown> = {}, nowSeconds = now()) {
  return {
    iss: ISSUER,
    sub: "svc:reporting",
    aud: "s3",
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + 300,
    jti: "tok-1",
    pcl: "service",
    cap: [{ res: "s3://acme-reports/team-a/*", act: ["read", "write"] }],
    ctx: {},
    jus: { ref: "CHG-1042", txt: "Nightly report export" },
    grt: { id: "reporting-export", ver: "sha256:abc" },
    ...overrides,
  };
}

export function header(key: SigningKey, overrides: Record<string, unknown> = {}) {
  return JSON.stringify({ alg: key.alg, typ: "pulse+jwt", kid: key.kid, ...overrides });
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}

export const mintInput: MintInput = {
  iss: ISSUER,
  sub: "svc:reporting",
  aud: "s3",
  pcl: "service",
  cap: [{ res: "s3://acme-reports/team-a/*", act: ["read", "write"] }],
  jus: { ref: "CHG-1042", txt: "Nightly report export" },
  grt: { id: "reporting-export", ver: "sha256:abc" },
  lifetimeSeconds: 300,
};

/** A broker key, a verifier trusting it, its revocation list and audit sink. */
export async function setup(options: Partial<VerifierOptions> = {}) {
  const key = await generateSigningKey({ extractable: true });
  const revocations = new MemoryRevocationList({ maxStalenessMs: 60_000 });
  const audit = new MemoryAuditSink();
  const verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: ISSUER,
    audience: "s3",
    revocation: revocations,
    audit,
    ...options,
  });
  return { key, revocations, audit, verifier };
}

export const READ_X = { resource: "s3://acme-reports/team-a/x.csv", action: "read" } as const;
