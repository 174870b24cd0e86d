// store-reset: a broker on a fresh store numbers revocations from 1 again. `GET /v1/revocations`
// names the log's epoch, and answers a `since` past its newest cursor with that newest cursor,
// so a feed can tell; and a broker whose store lives in memory warns when it starts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "@pulse/core";
import { createBroker } from "./broker.js";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";
import type { TestIdentityProvider } from "./testing/identity-provider.js";
import { testIdentityProvider } from "./testing/identity-provider.js";
import { grant, testPolicy } from "./testing/policy.js";

const ISSUER = "https://epoch.test";
let idp: TestIdentityProvider;

beforeAll(async () => {
  idp = await testIdentityProvider();
});

/** Starts a broker on `store`, revokes `jtis`, and hands back its revocation pages and warnings. */
async function withBroker(
  store: BrokerStore | undefined,
  run: (
    page: (since: string) => Promise<any>,
    revoke: (jti: string) => Promise<void>,
  ) => Promise<void>,
): Promise<string[]> {
  const warnings: string[] = [];
  const logger: Logger = { warn: (m) => void warnings.push(m) };
  const broker = createBroker({
    issuer: ISSUER,
    ...(store && { store }),
    logger,
    identity: { issuers: [idp.issuer] },
    revocationAdmins: ["svc:security"],
    policy: testPolicy(grant("g", "svc:a", 'resources ["s3://acme/a/*"]\n  actions [read]')),
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });
  try {
    await run(
      async (since) => (await fetch(`${broker.url}/v1/revocations?since=${since}`)).json(),
      async (jti) => {
        const res = await fetch(`${broker.url}/v1/revocations`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${await idp.assertion("svc:security")}`,
          },
          body: JSON.stringify({ jti }),
        });
        expect(res.status).toBe(201);
      },
    );
  } finally {
    await broker.close();
  }
  return warnings;
}

describe("store-reset", () => {
  it("store-reset-epoch: a restarted in-memory broker serves a new epoch", async () => {
    const epochs: string[] = [];
    for (let i = 0; i < 2; i++) {
      await withBroker(undefined, async (page) => {
        const first = await page("0");
        expect(first.epoch).toEqual(expect.any(String));
        expect((await page("0")).epoch).toBe(first.epoch);
        epochs.push(first.epoch);
      });
    }
    expect(epochs[0]).not.toBe(epochs[1]);
  });

  it("store-reset-cursor: a since past the newest cursor is answered with the newest", async () => {
    await withBroker(undefined, async (page, revoke) => {
      await revoke("r-1");
      await revoke("r-2");
      const answer = await page("7");
      expect(answer).toMatchObject({ revocations: [], cursor: "2", complete: true });
      expect((await page("2")).cursor).toBe("2");
      expect((await page("1")).cursor).toBe("2");
    });
  });

  it("store-in-memory-warning: only an in-memory store warns at start", async () => {
    const warned = await withBroker(undefined, async () => {});
    expect(warned.filter((w) => w.includes("store is in memory"))).toHaveLength(1);

    const dir = await mkdtemp(join(tmpdir(), "pulse-epoch-"));
    try {
      const durable = await openStore({ dataDir: join(dir, "data") });
      const epoch = (await durable.revocationLog()).epoch;
      const quiet = await withBroker(durable, async () => {});
      expect(quiet.filter((w) => w.includes("store is in memory"))).toEqual([]);
      await durable.close();

      const reopened = await openStore({ dataDir: join(dir, "data") });
      expect(reopened.durable).toBe(true);
      expect((await reopened.revocationLog()).epoch).toBe(epoch);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(process.env.PULSE_PG_URL === undefined)("store-reset (PostgreSQL)", () => {
  let store: BrokerStore;
  beforeAll(async () => {
    store = await openStore({ url: process.env.PULSE_PG_URL! });
  });
  afterAll(() => store?.close());

  it("a PostgreSQL store keeps its epoch across opens and does not warn", async () => {
    const again = await openStore({ url: process.env.PULSE_PG_URL! });
    try {
      expect((await again.revocationLog()).epoch).toBe((await store.revocationLog()).epoch);
    } finally {
      await again.close();
    }
    const warned = await withBroker(store, async () => {});
    expect(warned.filter((w) => w.includes("store is in memory"))).toEqual([]);
  });
});
