// store-reset: a broker with the default in-memory store restarts with the same keys and numbers
// revocations from 1 again, while a running feed sits at a higher cursor. The feed sees the new
// epoch, reads the log again from 0, keeps what it held, and the verifier denies `revoked`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SigningKey } from "@pulse/core";
import { createVerifier, generateSigningKey } from "@pulse/core";
import type { Broker } from "@pulse/broker";
import { createBroker } from "@pulse/broker";
import { grant, testPolicy } from "../../broker/src/testing/policy.js";
import type { TestIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { testIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { createRevocationFeed } from "./revocation-feed.js";

const ISSUER = "https://reset.test";
const read = { resource: "s3://acme/team-a/r.csv", action: "read" } as const;

let idp: TestIdentityProvider;
let key: SigningKey;
let broker: Broker | undefined;

beforeAll(async () => {
  idp = await testIdentityProvider();
  key = await generateSigningKey();
});
afterAll(() => broker?.close());

async function start(port: number): Promise<Broker> {
  const b = createBroker({
    issuer: ISSUER,
    keys: key,
    identity: { issuers: [idp.issuer] },
    revocationAdmins: ["svc:security"],
    policy: testPolicy(
      grant("reset", "svc:app", 'resources ["s3://acme/team-a/*"]\n  actions [read]'),
    ),
  });
  await b.listen({ host: "127.0.0.1", port });
  return b;
}

async function post(b: Broker, path: string, sub: string, body: unknown) {
  const res = await fetch(`${b.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await idp.assertion(sub)}`,
    },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

const token = async (b: Broker) =>
  (await post(b, "/v1/tokens", "svc:app", { audience: "s3", requests: [read] })).token as string;
const jti = (t: string) => JSON.parse(atob(t.split(".")[1]!)).jti as string;

describe("store-reset", () => {
  it("store-reset: a feed catches revocations made after a restart on a new store", async () => {
    broker = await start(0);
    const port = Number(new URL(broker.url).port);
    const before = await token(broker);
    for (const j of ["x1", "x2", jti(before)]) {
      await post(broker, "/v1/revocations", "svc:security", { jti: j });
    }
    const feed = createRevocationFeed({
      broker: broker.url,
      maxStalenessMs: 30_000,
      pollIntervalMs: 3_600_000,
    });
    await feed.start();
    try {
      expect(feed.cursor).toBe("3");

      await broker.close();
      broker = await start(port);
      const after = await token(broker);
      const revoked = await post(broker, "/v1/revocations", "svc:security", { jti: jti(after) });
      expect(revoked.cursor).toBe("1");

      expect(await feed.sync()).toBe(true);
      expect(feed.cursor).toBe("1");
      const verifier = await createVerifier({
        keys: broker.jwks(),
        issuer: ISSUER,
        audience: "s3",
        revocation: feed,
      });
      for (const t of [after, before]) {
        const decision = await verifier.check(t, read);
        expect(decision.outcome === "deny" && decision.reason).toBe("revoked");
      }
    } finally {
      await feed.close();
    }
  });
});
