// Identity assertions against an issuer whose JWKS is served over HTTP on 127.0.0.1, fetched
// by jose, plus the assertions the broker must refuse.
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "./broker.js";
import { createBroker } from "./broker.js";
import { grant, testPolicy } from "./testing/policy.js";

const IDP = "https://idp.http.test";
let server: Server;
let broker: Broker;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" }] };
  server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  broker = createBroker({
    issuer: "https://broker.test",
    identity: {
      issuers: [{ issuer: IDP, jwks: `http://127.0.0.1:${port}/jwks`, audience: "pulse-broker" }],
    },
    policy: testPolicy(grant("idp-http", "svc:w", 'resources ["s3://acme/w/*"]\n  actions [read]')),
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await broker?.close();
  await new Promise((resolve) => server?.close(resolve));
});

function assertion(overrides: { aud?: string; exp?: string | number; iss?: string } = {}) {
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer(overrides.iss ?? IDP)
    .setAudience(overrides.aud ?? "pulse-broker")
    .setSubject("svc:w")
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? "5m")
    .sign(privateKey);
}

async function ask(jwt: string) {
  const res = await fetch(`${broker.url}/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
    body: JSON.stringify({
      audience: "s3",
      requests: [{ resource: "s3://acme/w/1", action: "read" }],
    }),
  });
  return { status: res.status, body: await res.json() };
}

describe("identity JWTs from an issuer's JWKS URL", () => {
  it("accepts a valid assertion, fetching the issuer's keys over HTTP", async () => {
    expect((await ask(await assertion())).status).toBe(200);
  });

  it("identity-wrong-audience and identity-expired are 401", async () => {
    expect((await ask(await assertion({ aud: "someone-else" }))).status).toBe(401);
    const past = Math.floor(Date.now() / 1000) - 120;
    expect((await ask(await assertion({ exp: past }))).status).toBe(401);
  });

  it("identity-alg-none and identity-hs256 are refused", async () => {
    const none = new UnsecuredJWT({})
      .setIssuer(IDP)
      .setAudience("pulse-broker")
      .setSubject("svc:w")
      .setIssuedAt()
      .setExpirationTime("5m")
      .encode();
    expect((await ask(none)).status).toBe(401);

    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuer(IDP)
      .setAudience("pulse-broker")
      .setSubject("svc:w")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!"));
    const answer = await ask(hs);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe("invalid_token");
  });
});
