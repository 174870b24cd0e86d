// replica-skew-revocation: a principal or grant revocation cuts off at the end of the current
// second of the replica handling it. A replica whose clock runs ahead issues tokens with a later
// `iat`, which that cut-off would miss; the cut-off also covers every token in the issuance log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRevocationList, createVerifier } from "@pulse/core";
import type { Broker } from "./broker.js";
import { createBroker } from "./broker.js";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";
import type { TestIdentityProvider } from "./testing/identity-provider.js";
import { testIdentityProvider } from "./testing/identity-provider.js";
import { grant, testPolicy } from "./testing/policy.js";

const ISSUER = "https://skew.test";
const SKEW_MS = 5000;
const suffix = Date.now().toString(36);
const [P1, P2] = [`svc:skew-p-${suffix}`, `svc:skew-g-${suffix}`];
const [G1, G2] = [`skew-p-${suffix}`, `skew-g-${suffix}`];
const read = { resource: "s3://acme/skew/r.csv", action: "read" } as const;

let idp: TestIdentityProvider;
let store: BrokerStore;
let ahead: Broker;
let onTime: Broker;

beforeAll(async () => {
  idp = await testIdentityProvider();
  store = await openStore(process.env.PULSE_PG_URL ? { url: process.env.PULSE_PG_URL } : {});
  const replica = (now: () => number) =>
    createBroker({
      issuer: ISSUER,
      store,
      identity: { issuers: [idp.issuer] },
      revocationAdmins: ["svc:security"],
      policy: testPolicy(
        grant(G1, P1, 'resources ["s3://acme/skew/*"]\n  actions [read]') +
          grant(G2, P2, 'resources ["s3://acme/skew/*"]\n  actions [read]'),
      ),
      now,
    });
  ahead = replica(() => Date.now() + SKEW_MS);
  onTime = replica(Date.now);
  await ahead.listen({ host: "127.0.0.1", port: 0 });
  await onTime.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await ahead?.close();
  await onTime?.close();
  await store?.close();
});

async function call(broker: Broker, path: string, sub: string, body: unknown) {
  const res = await fetch(`${broker.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await idp.assertion(sub)}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The decision on `token` of a verifier that knows every revocation `onTime` serves. */
async function decide(token: string) {
  const list = new MemoryRevocationList({ maxStalenessMs: 60_000 });
  // Page through the whole log: a shared database keeps the revocations of earlier runs.
  for (let since = "0"; ;) {
    const url = `${onTime.url}/v1/revocations?since=${since}&limit=500`;
    const page = await (await fetch(url)).json();
    for (const stored of page.revocations) list.add(stored.revocation);
    if (page.complete || page.revocations.length === 0 || page.cursor === since) break;
    since = page.cursor;
  }
  const verifier = await createVerifier({
    keys: ahead.jwks(),
    issuer: ISSUER,
    audience: "s3",
    revocation: list,
  });
  const decision = await verifier.check(token, read);
  return decision.outcome === "deny" ? decision.reason : decision.outcome;
}

describe("replica-skew-revocation", () => {
  it.each([
    ["principal", P1, { principal: P1 }],
    ["grant", P2, { grant: G2 }],
  ])(
    "a %s revocation covers a token from a replica whose clock runs ahead",
    async (_, sub, body) => {
      const issued = await call(ahead, "/v1/tokens", sub, { audience: "s3", requests: [read] });
      expect(issued.status).toBe(200);
      expect(await decide(issued.body.token)).toBe("allow");

      const revoked = await call(onTime, "/v1/revocations", "svc:security", body);
      expect(revoked.status).toBe(201);
      expect(await decide(issued.body.token)).toBe("revoked");
    },
  );

  it("the store takes the later of the given cut-off and the issuance log's", async () => {
    const sub = `svc:log-${suffix}`;
    const base = { iss: ISSUER, aud: "s3", grantId: `g-${suffix}`, policyVersion: "v", kid: "k" };
    await store.recordIssuance({ ...base, jti: `log-${suffix}`, sub, iat: 2_000, exp: 2_060 });

    const bySub = await store.addRevocation({ iss: ISSUER, sub, issuedBefore: 1_000 });
    expect(bySub.revocation).toEqual({ iss: ISSUER, sub, issuedBefore: 2_001 });
    const byGrant = await store.addRevocation({
      iss: ISSUER,
      grantId: `g-${suffix}`,
      issuedBefore: 3_000,
    });
    expect(byGrant.revocation).toEqual({
      iss: ISSUER,
      grantId: `g-${suffix}`,
      issuedBefore: 3_000,
    });
    const otherIssuer = await store.addRevocation({
      iss: "https://other.test",
      sub,
      issuedBefore: 5,
    });
    expect(otherIssuer.revocation).toEqual({ iss: "https://other.test", sub, issuedBefore: 5 });
  });
});
