// A push engine that is down must not block the broker: start, revocation calls and close all
// finish, and the revocation is still stored for verifiers that poll.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroker } from "./broker.js";
import { createPostgresPublisher, createRedisPublisher } from "./publisher.js";
import { grant, testPolicy } from "./testing/policy.js";
import type { TestIdentityProvider } from "./testing/identity-provider.js";
import { testIdentityProvider } from "./testing/identity-provider.js";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";

let idp: TestIdentityProvider;
let store: BrokerStore;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  idp = await testIdentityProvider();
  store = await openStore();
});
afterAll(() => store?.close());

describe("push-engine-down", () => {
  it("an unreachable Redis and PostgreSQL do not block listen, revoke or close", async () => {
    const broker = createBroker({
      issuer: "https://broker.test",
      store,
      identity: { issuers: [idp.issuer] },
      revocationAdmins: ["svc:security"],
      policy: testPolicy(grant("g", "svc:a", 'resources ["s3://acme/a/*"]\n  actions [read]')),
      publishers: [
        createRedisPublisher({ url: `redis://127.0.0.1:${await closedPort()}` }),
        createPostgresPublisher({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/x` }),
      ],
    });
    await broker.listen({ host: "127.0.0.1", port: 0 });
    try {
      const res = await fetch(`${broker.url}/v1/revocations`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await idp.assertion("svc:security")}`,
        },
        body: JSON.stringify({ jti: "down-1" }),
      });
      expect(res.status).toBe(201);
      const { cursor } = await res.json();
      const since = String(BigInt(cursor) - 1n);
      const page = await (await fetch(`${broker.url}/v1/revocations?since=${since}`)).json();
      expect(page.revocations[0].revocation.jti).toBe("down-1");
    } finally {
      await broker.close();
    }
  });
});
