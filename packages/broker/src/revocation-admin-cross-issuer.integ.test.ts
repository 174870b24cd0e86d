import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker, BrokerOptions } from "./broker.js";
import { createBroker } from "./broker.js";
import { resolveRevocationAdmins } from "./internal/revocation-admins.js";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";
import type { TestIdentityProvider } from "./testing/identity-provider.js";
import { testIdentityProvider } from "./testing/identity-provider.js";
import { grant, testPolicy } from "./testing/policy.js";

let workload: TestIdentityProvider;
let sso: TestIdentityProvider;
let store: BrokerStore;
let broker: Broker;
let identity: BrokerOptions["identity"];
const policy = testPolicy(grant("g", "svc:a", 'resources ["s3://acme/a/*"]\n  actions [read]'));

beforeAll(async () => {
  workload = await testIdentityProvider("https://workload.test");
  sso = await testIdentityProvider("https://sso.test");
  store = await openStore(process.env.PULSE_PG_URL ? { url: process.env.PULSE_PG_URL } : {});
  identity = {
    issuers: [workload.issuer, { ...sso.issuer, principalClass: "human" }],
    development: {
      enabled: true,
      identities: [{ principal: { class: "service", id: "svc:security" }, secret: "dev-security" }],
    },
  };
  broker = createBroker({
    issuer: "https://broker.test",
    store,
    policy,
    identity,
    revocationAdmins: [
      { issuer: "https://workload.test", principalClass: "service", id: "svc:security" },
    ],
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await broker?.close();
  await store?.close();
});

async function revoke(authorization: string, grantId: string) {
  const res = await fetch(`${broker.url}/v1/revocations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ grant: grantId }),
  });
  return { status: res.status, body: await res.json() };
}

async function auditAfter(since: string | undefined) {
  return store.auditSince(since, 1_000_000);
}

describe("revocation-admin-cross-issuer", () => {
  it("a human from another issuer with the admin's id may not revoke", async () => {
    const since = (await auditAfter(undefined)).at(-1)?.id;
    const res = await revoke(`Bearer ${await sso.assertion("svc:security")}`, "by-sso");
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("access_denied");

    const deny = (await auditAfter(since)).find(
      (r) => r.event === "deny" && r.detail?.issuer === "https://sso.test",
    );
    expect(deny?.reasons?.[0]?.code).toBe("not-revocation-admin");
    expect(deny?.detail).toMatchObject({ issuer: "https://sso.test", principalClass: "human" });
  });

  it("a development key with the admin's id may not revoke", async () => {
    const res = await revoke("PulseDevKey dev-security", "by-dev-key");
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("access_denied");
  });

  it("the admin from its own issuer revokes, and the audit row names the issuer", async () => {
    const since = (await auditAfter(undefined)).at(-1)?.id;
    const res = await revoke(`Bearer ${await workload.assertion("svc:security")}`, "by-admin");
    expect(res.status).toBe(201);

    const row = (await auditAfter(since)).find(
      (r) => r.event === "revoke" && r.grantId === "by-admin",
    );
    expect(row?.principal).toBe("svc:security");
    expect(row?.detail).toMatchObject({
      issuer: "https://workload.test",
      principalClass: "service",
    });
  });

  it("a bare admin id is refused when more than one identity source could vouch for it", () => {
    const build = () =>
      createBroker({ issuer: "https://b.test", policy, identity, revocationAdmins: ["svc:x"] });
    expect(build).toThrow(expect.objectContaining({ code: "ERR_PULSE_BROKER_OPTIONS" }));
    expect(build).toThrow(/"svc:x" names no issuer, and the broker has 3 identity sources/);
  });
});

describe("resolveRevocationAdmins", () => {
  const one = { issuers: [{ issuer: "https://idp.test", jwks: { keys: [] }, audience: "b" }] };
  const devOnly = {
    development: {
      enabled: true,
      identities: [{ principal: { class: "human" as const, id: "alice" }, secret: "s" }],
    },
  };

  it("reads a bare id as the only identity source's issuer and class", () => {
    expect(resolveRevocationAdmins(["svc:s"], one)).toEqual([
      { issuer: "https://idp.test", principalClass: "service", id: "svc:s" },
    ]);
    expect(resolveRevocationAdmins(["alice"], devOnly)).toEqual([
      { issuer: "development", principalClass: "human", id: "alice" },
    ]);
  });

  it.each([
    [{ issuer: "https://other.test", principalClass: "service", id: "svc:s" }, /needs an issuer/],
    [{ issuer: "https://idp.test", principalClass: "robot", id: "svc:s" }, /principalClass/],
    [{ issuer: "https://idp.test", principalClass: "service", id: "" }, /principal id/],
    ["", /is empty/],
  ])("refuses %j with ERR_PULSE_BROKER_OPTIONS", (entry, message) => {
    const resolve = () => resolveRevocationAdmins([entry], one);
    expect(resolve).toThrow(expect.objectContaining({ code: "ERR_PULSE_BROKER_OPTIONS" }));
    expect(resolve).toThrow(message);
  });

  it("refuses an identity issuer named like development keys", () => {
    const reserved = { issuers: [{ issuer: "development", jwks: { keys: [] }, audience: "b" }] };
    const build = () => createBroker({ issuer: "https://b.test", policy, identity: reserved });
    expect(build).toThrow(/"development" is reserved/);
  });
});
