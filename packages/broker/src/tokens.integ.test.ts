import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRevocationList, createVerifier } from "@pulse/core";
import { createBroker } from "./broker.js";
import type { Fixture } from "./testing/fixture.js";
import { ARTIFACT, ISSUER, read, startFixture } from "./testing/fixture.js";
import { testIdentityProvider } from "./testing/identity-provider.js";
import { grant, testPolicy } from "./testing/policy.js";

let f: Fixture;
let idp: Fixture["idp"];
let store: Fixture["store"];
let broker: Fixture["broker"];
let post: Fixture["post"];
let askToken: Fixture["askToken"];

beforeAll(async () => {
  f = await startFixture();
  ({ idp, store, broker, post, askToken } = f);
});
afterAll(() => f?.close());

describe("POST /v1/tokens", () => {
  it("issues a token that a verifier with the published JWKS allows", async () => {
    const res = await askToken("svc:reporting", read);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.grantId).toBe("reports");

    const verifier = await createVerifier({
      keys: { url: `${broker.url}/.well-known/jwks.json` },
      issuer: ISSUER,
      audience: "s3",
      revocation: new MemoryRevocationList({ maxStalenessMs: 60_000 }),
    });
    const ok = await verifier.check(res.body.token, read.requests[0]!);
    expect(ok.outcome).toBe("allow");
    const other = await verifier.check(res.body.token, {
      resource: "s3://acme/team-b/r.csv",
      action: "read",
    });
    expect(other.outcome === "deny" && other.reason).toBe("out-of-scope");
  });

  it("denies with the policy's reasons and a 403", async () => {
    const res = await askToken("svc:reporting", {
      audience: "s3",
      requests: [{ resource: "s3://acme/team-a/r", action: "delete" }],
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("access_denied");
    expect(res.body.reasons[0].code).toBe("action-not-granted");
  });

  it("context-from-socket: a cidr grant sees the socket address, not a forwarded one", async () => {
    const res = await askToken(
      "svc:local",
      { audience: "s3", requests: [{ resource: "s3://acme/x/1", action: "read" }] },
      {},
    );
    expect(res.status).toBe(403);
    const spoofed = await post(
      "/v1/tokens",
      { audience: "s3", requests: [{ resource: "s3://acme/x/1", action: "read" }] },
      {
        authorization: `Bearer ${await idp.assertion("svc:local")}`,
        "x-forwarded-for": "10.1.2.3",
      },
    );
    expect(spoofed.status).toBe(403);
    expect(spoofed.body.reasons[0].code).toBe("context-cidr");
  });

  it("step-up is an RFC 9470 shaped 401", async () => {
    const res = await askToken("svc:stepper", {
      audience: "s3",
      requests: [{ resource: "s3://acme/s/1", action: "read" }],
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(
      /^Bearer error="insufficient_user_authentication"/,
    );
    expect(res.body.grantId).toBe("stepper");
  });

  it("takes the artifact from the verified identity only", async () => {
    const body = { audience: "s3", requests: [{ resource: "s3://acme/b/1", action: "read" }] };
    expect((await askToken("svc:built", body, { artifact_digest: ARTIFACT })).status).toBe(200);
    expect(
      (await askToken("svc:built", body, { artifact_digest: `sha256:${"b".repeat(64)}` })).status,
    ).toBe(403);
    expect((await askToken("svc:built", body)).status).toBe(403);
  });

  it("accepts development keys only because they were switched on, and warned", async () => {
    expect(f.warnings.some((w) => /development identity keys are ON/.test(w))).toBe(true);
    const res = await post("/v1/tokens", read, { authorization: "PulseDevKey dev-secret-alice" });
    expect(res.status).toBe(403);
    expect(res.body.reasons[0].code).toBe("no-grant");
    const wrong = await post("/v1/tokens", read, { authorization: "PulseDevKey nope" });
    expect(wrong.status).toBe(401);
  });

  it("refuses identity JWTs from unknown issuers, with symmetric algorithms, or none", async () => {
    expect((await post("/v1/tokens", read)).status).toBe(401);
    const other = await testIdentityProvider("https://evil.test");
    const res = await post("/v1/tokens", read, {
      authorization: `Bearer ${await other.assertion("svc:reporting")}`,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    const forged = await testIdentityProvider(); // same issuer name, different key
    const bad = await post("/v1/tokens", read, {
      authorization: `Bearer ${await forged.assertion("svc:reporting")}`,
    });
    expect(bad.status).toBe(401);
  });
});

describe("input hygiene", () => {
  const auth = async () => ({ authorization: `Bearer ${await idp.assertion("svc:reporting")}` });

  it("unknown-field: rejects unknown members with 400 instead of dropping them", async () => {
    const res = await post("/v1/tokens", { ...read, sourceIp: "10.0.0.1" }, await auth());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    const nested = await post(
      "/v1/tokens",
      { audience: "s3", requests: [{ ...read.requests[0], extra: 1 }] },
      await auth(),
    );
    expect(nested.status).toBe(400);
  });

  it("oversize-body: 413 and no stack trace", async () => {
    const res = await post("/v1/tokens", { ...read, pad: "x".repeat(40_000) }, await auth());
    expect(res.status).toBe(413);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it("bad-content-type: 415 for text/plain and form bodies", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const res = await post("/v1/tokens", JSON.stringify(read), {
        ...(await auth()),
        "content-type": type,
      });
      expect(res.status).toBe(415);
    }
  });

  it("bad-json: 400 for broken JSON and prototype pollution", async () => {
    expect((await post("/v1/tokens", "{", await auth())).status).toBe(400);
    const proto = '{"audience":"s3","requests":[],"__proto__":{"x":1}}';
    expect((await post("/v1/tokens", proto, await auth())).status).toBe(400);
  });

  it("rejects an unknown action and too many requests", async () => {
    const bad = { audience: "s3", requests: [{ resource: "s3://acme/team-a/r", action: "sudo" }] };
    expect((await post("/v1/tokens", bad, await auth())).status).toBe(400);
    const many = { audience: "s3", requests: Array.from({ length: 17 }, () => read.requests[0]) };
    expect((await post("/v1/tokens", many, await auth())).status).toBe(400);
  });
});

describe("audit", () => {
  it("every issuance and denial is audited with grant id, policy version and reasons", async () => {
    const before = await store.auditSince(undefined, 100_000);
    const since = before.at(-1)?.id;
    await askToken("svc:reporting", read);
    await askToken("svc:reporting", {
      audience: "s3",
      requests: [{ resource: "s3://acme/team-a/r", action: "delete" }],
    });
    const events = await store.auditSince(since, 100);
    const issue = events.find((e) => e.event === "issue" && e.principal === "svc:reporting");
    expect(issue).toMatchObject({
      grantId: "reports",
      policyVersion: expect.stringMatching(/^sha256:/),
    });
    const deny = events.find((e) => e.event === "deny" && e.principal === "svc:reporting");
    expect(deny?.policyVersion).toMatch(/^sha256:/);
    expect(deny?.reasons?.[0]).toMatchObject({ code: "action-not-granted", grantId: "reports" });
  });
});

describe("lifetime", () => {
  it("lifetime within max-lifetime, broker ceiling and grant expiry", async () => {
    expect((await askToken("svc:reporting", read)).body.expiresIn).toBe(300);

    const soon = new Date(Date.now() + 90_000).toISOString().replace(/\.\d+Z$/, "Z");
    const text =
      grant("capped", "svc:reporting", 'resources ["s3://acme/team-a/*"]\n  actions [read]') +
      `grant ending {
  principal service "svc:ending"
  resources ["s3://acme/e/*"]
  actions [read]
  justification "TEST-2" "Grant that ends soon."
  expires ${soon}
  max-lifetime 10m
}
`;
    const other = createBroker({
      issuer: ISSUER,
      store,
      policy: testPolicy(text),
      identity: { issuers: [idp.issuer] },
      maxLifetimeSeconds: 120,
    });
    await other.listen({ host: "127.0.0.1", port: 0 });
    try {
      const ask = async (sub: string, resource: string) => {
        const res = await fetch(`${other.url}/v1/tokens`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${await idp.assertion(sub)}`,
          },
          body: JSON.stringify({ audience: "s3", requests: [{ resource, action: "read" }] }),
        });
        return (await res.json()) as { expiresIn: number; token: string };
      };
      expect((await ask("svc:reporting", "s3://acme/team-a/x")).expiresIn).toBe(120);
      const ending = await ask("svc:ending", "s3://acme/e/x");
      expect(ending.expiresIn).toBeGreaterThan(0);
      expect(ending.expiresIn).toBeLessThanOrEqual(90);
    } finally {
      await other.close();
    }
  });
});
