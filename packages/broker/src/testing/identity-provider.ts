// A test identity provider: an Ed25519 key pair whose public JWKS is handed to the broker inline,
// and a function that signs identity JWTs with it.
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import type { IdentityIssuer } from "../identity.js";

export interface TestIdentityProvider {
  readonly issuer: IdentityIssuer;
  assertion(sub: string, claims?: Record<string, unknown>): Promise<string>;
}

export async function testIdentityProvider(
  issuer = "https://idp.test",
  audience = "pulse-broker",
): Promise<TestIdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA");
  const jwk = { ...(await exportJWK(publicKey)), kid: "idp-1", alg: "EdDSA" };
  return {
    issuer: { issuer, jwks: { keys: [jwk] }, audience },
    assertion: (sub, claims = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "EdDSA", kid: "idp-1" })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
  };
}
