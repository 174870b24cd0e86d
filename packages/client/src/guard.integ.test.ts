// The token source as the `token` provider of a real guard (@pulse/vault's guardSecrets over
// its encrypted file store), against the real HTTP broker: the guard asks for a token per
// operation, the broker issues exactly that scope, and a revocation shuts the guard.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVerifier } from "@pulse/core";
import type { Broker } from "@pulse/broker";
import { createBroker } from "@pulse/broker";
import { createFileSecretStore, guardSecrets } from "@pulse/vault";
import type { TestIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { testIdentityProvider } from "../../broker/src/testing/identity-provider.js";
import { grant, testPolicy } from "../../broker/src/testing/policy.js";
import type { RevocationFeed } from "./revocation-feed.js";
import { createRevocationFeed } from "./revocation-feed.js";
import { createTokenSource } from "./token-source.js";

const ISSUER = "https://broker.test";
let idp: TestIdentityProvider;
let broker: Broker;
let feed: RevocationFeed;
let dir: string;

beforeAll(async () => {
  idp = await testIdentityProvider();
  dir = await mkdtemp(join(tmpdir(), "pulse-client-vault-"));
  broker = createBroker({
    issuer: ISSUER,
    ...(process.env.PULSE_PG_URL && { storeUrl: process.env.PULSE_PG_URL }),
    identity: { issuers: [idp.issuer] },
    revocationAdmins: ["svc:security"],
    policy: testPolicy(
      grant(
        "client-vault",
        "svc:billing",
        'resources ["vault://secret/billing/*"]\n  actions [read, write]',
      ),
    ),
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });
  feed = createRevocationFeed({ broker: broker.url, maxStalenessMs: 30_000, pollIntervalMs: 100 });
  await feed.start();
});

afterAll(async () => {
  await feed?.close();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("token source as a guard's token provider", () => {
  it("a vault guard works with broker tokens and stops at a grant revocation", async () => {
    const tokens = createTokenSource({
      broker: broker.url,
      identity: () => idp.assertion("svc:billing"),
    });
    const verifier = await createVerifier({
      keys: broker.jwks(),
      issuer: ISSUER,
      audience: "vault",
      revocation: feed,
    });
    const secrets = guardSecrets(createFileSecretStore({ directory: dir, key: randomBytes(32) }), {
      verifier,
      mount: "secret",
      token: tokens.provider,
    });

    await secrets.put("billing/db", { password: "s3cret" });
    expect((await secrets.get("billing/db")).value).toEqual({ password: "s3cret" });
    // Core's authorize() turns a failing token provider into a `malformed` denial; the
    // broker's refusal is in the detail.
    await expect(secrets.get("payroll/db")).rejects.toMatchObject({
      code: "ERR_PULSE_DENIED",
      reason: "malformed",
      message: expect.stringContaining("broker denied the token"),
    });

    const res = await fetch(`${broker.url}/v1/revocations`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await idp.assertion("svc:security")}`,
      },
      body: JSON.stringify({ grant: "client-vault" }),
    });
    expect(res.status).toBe(201);
    await vi.waitFor(
      () => expect(secrets.get("billing/db")).rejects.toMatchObject({ reason: "revoked" }),
      { timeout: 5000, interval: 50 },
    );
  });
});
