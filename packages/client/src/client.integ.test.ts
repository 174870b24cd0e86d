// The client against the real HTTP broker on 127.0.0.1 (embedded PGlite store unless
// PULSE_PG_URL is set). The policy is a test stand-in with the @pulse/policy contract.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVerifier } from "@pulse/core";
import { authorize } from "@pulse/core/scope";
import type { Broker } from "@pulse/broker";
import { createBroker } from "@pulse/broker";
import { grant, testPolicy } from "../../broker/src/testing/policy.js";
import type { TestIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { testIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { createRevocationFeed } from "./revocation-feed.js";
import type { RevocationFeed } from "./revocation-feed.js";
import { createTokenSource } from "./token-source.js";

const ISSUER = "https://broker.test";
const ARTIFACT = `sha256:${"c".repeat(64)}`;
const read = { resource: "s3://acme/team-a/r.csv", action: "read" } as const;
const hour = new Date().getUTCHours();
const hh = (h: number) => String(h % 24).padStart(2, "0");

let idp: TestIdentityProvider;
let broker: Broker;
const clock = { offsetMs: 0 };
const feeds: RevocationFeed[] = [];

export async function startBroker(extra: Partial<Parameters<typeof createBroker>[0]> = {}) {
  const b = createBroker({
    issuer: ISSUER,
    ...(process.env.PULSE_PG_URL && { storeUrl: process.env.PULSE_PG_URL }),
    now: () => Date.now() + clock.offsetMs,
    trustedProxies: ["127.0.0.1/32"],
    revocationAdmins: ["svc:security"],
    identity: { issuers: [idp.issuer] },
    policy: testPolicy(
      grant("client-reports", "svc:app", 'resources ["s3://acme/team-a/*"]\n  actions [read]') +
        grant("client-leaver", "svc:leaver", 'resources ["s3://acme/team-a/*"]\n  actions [read]') +
        grant(
          "net",
          "svc:net",
          'resources ["s3://acme/n/*"]\n  actions [read]\n  network ["10.0.0.0/8"]',
        ) +
        grant(
          "hours",
          "svc:clock",
          `resources ["s3://acme/h/*"]\n  actions [read]\n  ` +
            `window mon-sun ${hh(hour)}:00-${hh(hour + 1)}:00 in "UTC"`,
        ) +
        grant(
          "built",
          "svc:built",
          `resources ["s3://acme/b/*"]\n  actions [read]\n  artifact "${ARTIFACT}"`,
        ),
    ),
    ...extra,
  });
  await b.listen({ host: "127.0.0.1", port: 0 });
  return b;
}

function verifierFor(b: Broker, feed: RevocationFeed) {
  return createVerifier({
    keys: { url: `${b.url}/.well-known/jwks.json`, cooldownMs: 3_600_000 },
    issuer: ISSUER,
    audience: "s3",
    revocation: feed,
  });
}

async function feedFor(
  b: Broker,
  options: Partial<Parameters<typeof createRevocationFeed>[0]> = {},
) {
  const feed = createRevocationFeed({
    broker: b.url,
    maxStalenessMs: 30_000,
    pollIntervalMs: 100,
    ...options,
  });
  feeds.push(feed);
  await feed.start();
  return feed;
}

async function revoke(b: Broker, body: object) {
  const res = await fetch(`${b.url}/v1/revocations`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await idp.assertion("svc:security")}`,
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

const jtiOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).jti;

beforeAll(async () => {
  idp = await testIdentityProvider();
  broker = await startBroker();
});

afterAll(async () => {
  await Promise.all(feeds.map((f) => f.close()));
  await broker?.close();
});

describe("issue, use, revoke", () => {
  it("a guard with the token source allows; after revocation it denies `revoked`", async () => {
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:app"),
    });
    const verifier = await verifierFor(broker, await feedFor(broker));
    const guard = { verifier, token: tokens.provider };
    expect((await authorize(guard, [read])).outcome).toBe("allow");

    await revoke(broker, { jti: jtiOf(await tokens.getToken(read)) });
    await vi.waitFor(
      () => expect(authorize(guard, [read])).rejects.toMatchObject({ reason: "revoked" }),
      { timeout: 5000, interval: 50 },
    );
  });

  it("revoking the principal denies every token it holds", async () => {
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:leaver"),
    });
    const token = await tokens.getToken(read);
    const verifier = await verifierFor(broker, await feedFor(broker));
    expect((await verifier.check(token, read)).outcome).toBe("allow");
    await revoke(broker, { principal: "svc:leaver" });
    await vi.waitFor(
      async () => {
        const d = await verifier.check(token, read);
        expect(d.outcome === "deny" && d.reason).toBe("revoked");
      },
      { timeout: 5000, interval: 50 },
    );
  });
});

describe("broker down", () => {
  it("cached tokens until expiry; verifiers work until the bound, then deny", async () => {
    const own = await startBroker();
    const local = { t: Date.now() };
    const tokens = createTokenSource({
      broker: own.url,
      identity: () => idp.assertion("svc:app"),
      now: () => local.t,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    const feed = await feedFor(own, { maxStalenessMs: 1500, pollIntervalMs: 100 });
    const verifier = await verifierFor(own, feed);
    const token = await tokens.getToken(read);
    expect((await verifier.check(token, read)).outcome).toBe("allow");

    await own.close();
    local.t += 290_000;
    expect(await tokens.getToken(read)).toBe(token);
    expect((await verifier.check(token, read)).outcome).toBe("allow");
    await vi.waitFor(
      async () => {
        const d = await verifier.check(token, read);
        expect(d.outcome === "deny" && d.reason).toBe("revocation-stale");
      },
      { timeout: 5000, interval: 100 },
    );

    local.t += 10_000;
    await expect(tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_BROKER_UNAVAILABLE",
    });
  });
});

describe("a context change between two requests changes the outcome", () => {
  it("new source address (through a trusted proxy)", async () => {
    let from = "10.1.2.3";
    const viaProxy = ((url: URL, init: RequestInit) =>
      fetch(url, {
        ...init,
        headers: { ...(init.headers as object), "x-forwarded-for": from },
      })) as typeof fetch;
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:net"),
      fetch: viaProxy,
    });
    const n = { resource: "s3://acme/n/1", action: "read" } as const;
    await expect(tokens.getToken(n)).resolves.toMatch(/\./);
    tokens.clear();
    from = "192.168.7.7";
    await expect(tokens.getToken(n)).rejects.toMatchObject({
      code: "ERR_PULSE_TOKEN_DENIED",
      reasons: [expect.objectContaining({ code: "context-cidr" })],
    });
  });

  it("outside the window", async () => {
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:clock"),
    });
    const h = { resource: "s3://acme/h/1", action: "read" } as const;
    try {
      await expect(tokens.getToken(h)).resolves.toMatch(/\./);
      tokens.clear();
      clock.offsetMs = 2 * 3_600_000;
      await expect(tokens.getToken(h)).rejects.toMatchObject({
        reasons: [expect.objectContaining({ code: "context-window" })],
      });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("artifact changed", async () => {
    const b = { resource: "s3://acme/b/1", action: "read" } as const;
    const good = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:built", { artifact_digest: ARTIFACT }),
    });
    await expect(good.getToken(b)).resolves.toMatch(/\./);
    const changed = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:built", { artifact_digest: `sha256:${"d".repeat(64)}` }),
    });
    await expect(changed.getToken(b)).rejects.toMatchObject({
      reasons: [expect.objectContaining({ code: "context-artifact" })],
    });
  });
});

describe("key rotation", () => {
  it("key-rotation-no-failed-verification: the next key is published before it signs", async () => {
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:app"),
    });
    const verifier = await createVerifier({
      keys: {
        url: `${broker.url}/.well-known/jwks.json`,
        cooldownMs: 3_600_000,
        cacheMaxAgeMs: 500,
      },
      issuer: ISSUER,
      audience: "s3",
      revocation: await feedFor(broker),
    });
    const k = { resource: "s3://acme/team-a/k", action: "read" } as const;
    const held: string[] = [];
    const checkAll = async () => {
      for (const t of held) {
        const d = await verifier.check(t, k);
        expect(d.outcome === "deny" ? d.reason : d.outcome).toBe("allow");
      }
    };
    held.push(await tokens.getToken(k));
    await checkAll();
    // Within one JWKS cache period: the new kid was already in the fetched set.
    await broker.rotateKeys();
    tokens.clear();
    held.push(await tokens.getToken(k));
    await checkAll();
    // After the verifier's cache age: it refetches and still finds the retired keys.
    await new Promise((r) => setTimeout(r, 600));
    await broker.rotateKeys();
    tokens.clear();
    held.push(await tokens.getToken(k));
    await checkAll();
    expect(new Set(held.map((t) => JSON.parse(atob(t.split(".")[0]!)).kid)).size).toBe(3);
  });
});

describe("subscription-down", () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it.each(["redis", "postgres"] as const)(
    "an unreachable %s does not block start(); polling still delivers revocations",
    async (engine) => {
      const url = `${engine}://127.0.0.1:${await closedPort()}`;
      const subscribe = engine === "redis" ? { redis: { url } } : { postgres: { url } };
      const feed = await feedFor(broker, { subscribe, timeoutMs: 300, pollIntervalMs: 100 });
      const tokens = createTokenSource({
        broker: broker.url,
        identity: () => idp.assertion("svc:app"),
      });
      const token = await tokens.getToken(read);
      const verifier = await verifierFor(broker, feed);
      expect((await verifier.check(token, read)).outcome).toBe("allow");
      await revoke(broker, { jti: jtiOf(token) });
      await vi.waitFor(
        async () => {
          const d = await verifier.check(token, read);
          expect(d.outcome === "deny" && d.reason).toBe("revoked");
        },
        { timeout: 5000, interval: 50 },
      );
    },
  );
});
