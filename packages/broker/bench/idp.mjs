// A throwaway identity provider for the benches: one Ed25519 key, JWTs for any subject.
import { SignJWT, exportJWK, generateKeyPair } from "jose";

export async function benchIdentityProvider() {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench-idp", alg: "EdDSA" };
  const assertion = (sub) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: "bench-idp" })
      .setIssuer("https://idp.bench")
      .setAudience("pulse-broker")
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime("30m")
      .sign(privateKey);
  return { jwk, assertion };
}
