// Revocation push through Redis pub/sub (when PULSE_REDIS_URL is set) and PostgreSQL
// LISTEN/NOTIFY (when PULSE_PG_URL is set). Polling is slowed to a minute here, so only the
// push can make the verifier deny in time.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVerifier } from "@pulse/core";
import type { Broker, RevocationPublisher } from "@pulse/broker";
import { createBroker, createPostgresPublisher, createRedisPublisher } from "@pulse/broker";
import { grant, testPolicy } from "../../broker/src/testing/policy.js";
import type { TestIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { testIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import type { RevocationSubscription } from "./revocation-feed.js";
import { createRevocationFeed } from "./revocation-feed.js";
import { createTokenSource } from "./token-source.js";

const ISSUER = "https://broker.test";
const REDIS = process.env.PULSE_REDIS_URL;
const PG = process.env.PULSE_PG_URL;
const read = { resource: "s3://acme/team-a/r.csv", action: "read" } as const;
let idp: TestIdentityProvider;

beforeAll(async () => {
  idp = await testIdentityProvider();
});

function pushSuite(
  name: string,
  url: string | undefined,
  publisher: (url: string, channel: string) => RevocationPublisher,
  subscription: (url: string, channel: string) => RevocationSubscription,
  channel: string,
) {
  const grantId = `push-${name.split(" ")[0]!.toLowerCase()}-${suffix}`;
  describe.skipIf(url === undefined)(name, () => {
    let broker: Broker;
    beforeAll(async () => {
      broker = createBroker({
        issuer: ISSUER,
        ...(PG && { storeUrl: PG }),
        identity: { issuers: [idp.issuer] },
        revocationAdmins: ["svc:security"],
        publishers: [publisher(url!, channel)],
        policy: testPolicy(
          grant(grantId, "svc:app", 'resources ["s3://acme/team-a/*"]\n  actions [read]'),
        ),
      });
      await broker.listen({ host: "127.0.0.1", port: 0 });
    });
    afterAll(() => broker?.close());

    it("a revocation reaches a subscribed verifier without a poll", async () => {
      const feed = createRevocationFeed({
        broker: broker.url,
        maxStalenessMs: 120_000,
        pollIntervalMs: 60_000,
        subscribe: subscription(url!, channel),
      });
      await feed.start();
      try {
        const verifier = await createVerifier({
          keys: broker.jwks(),
          issuer: ISSUER,
          audience: "s3",
          revocation: feed,
        });
        const tokens = createTokenSource({
          broker: broker.url,
          identity: () => idp.assertion("svc:app"),
        });
        const token = await tokens.getToken(read);
        const first = await verifier.check(token, read);
        expect(first.outcome === "deny" ? first.reason : first.outcome).toBe("allow");

        const res = await fetch(`${broker.url}/v1/revocations`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${await idp.assertion("svc:security")}`,
          },
          body: JSON.stringify({ grant: grantId }),
        });
        expect(res.status).toBe(201);
        await vi.waitFor(
          async () => {
            const d = await verifier.check(token, read);
            expect(d.outcome === "deny" && d.reason).toBe("revoked");
          },
          { timeout: 5000, interval: 20 },
        );
      } finally {
        await feed.close();
      }
    });
  });
}

const suffix = randomUUID().slice(0, 8);
pushSuite(
  "Redis pub/sub",
  REDIS,
  (url, channel) => createRedisPublisher({ url, channel }),
  (url, channel) => ({ redis: { url, channel } }),
  `pulse:revocations:test:${suffix}`,
);
pushSuite(
  "PostgreSQL LISTEN/NOTIFY",
  PG,
  (url, channel) => createPostgresPublisher({ url, channel }),
  (url, channel) => ({ postgres: { url, channel } }),
  `pulse_revocations_test_${suffix}`,
);
