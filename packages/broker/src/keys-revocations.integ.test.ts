import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRevocationList, createVerifier } from "@pulse/core";
import type { Fixture } from "./testing/fixture.js";
import { ISSUER, read, startFixture } from "./testing/fixture.js";

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

describe("JWKS and rotation", () => {
  it("serves cache headers and answers 304 to a matching If-None-Match", async () => {
    const res = await fetch(`${broker.url}/.well-known/jwks.json`);
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag")!;
    const again = await fetch(`${broker.url}/.well-known/jwks.json`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });

  it("key-rotation-overlap: old and new tokens verify against one fetched JWKS", async () => {
    const verifier = await createVerifier({
      keys: { url: `${broker.url}/.well-known/jwks.json`, cooldownMs: 3_600_000 },
      issuer: ISSUER,
      audience: "s3",
      revocation: new MemoryRevocationList({ maxStalenessMs: 60_000 }),
    });
    const before = (await askToken("svc:reporting", read)).body.token;
    expect((await verifier.check(before, read.requests[0]!)).outcome).toBe("allow");

    const oldKid = JSON.parse(atob(before.split(".")[0])).kid;
    const { kid } = await broker.rotateKeys();
    expect(kid).not.toBe(oldKid);
    const after = (await askToken("svc:reporting", read)).body.token;
    expect(JSON.parse(atob(after.split(".")[0])).kid).toBe(kid);

    verifier.clearCache();
    expect((await verifier.check(after, read.requests[0]!)).outcome).toBe("allow");
    expect((await verifier.check(before, read.requests[0]!)).outcome).toBe("allow");
    expect(broker.jwks().keys.map((k) => k.kid)).toContain(oldKid);
  });
});

describe("revocations", () => {
  const admin = async () => ({ authorization: `Bearer ${await idp.assertion("svc:security")}` });

  it("only revocation admins may revoke", async () => {
    const res = await post(
      "/v1/revocations",
      { jti: "x" },
      { authorization: `Bearer ${await idp.assertion("svc:reporting")}` },
    );
    expect(res.status).toBe(403);
  });

  it("exactly one of jti, principal, grant", async () => {
    expect((await post("/v1/revocations", { jti: "a", grant: "b" }, await admin())).status).toBe(
      400,
    );
    expect((await post("/v1/revocations", { reason: "x" }, await admin())).status).toBe(400);
  });

  it("stores revocations and serves them after a cursor", async () => {
    const first = await post("/v1/revocations", { jti: "j-1" }, await admin());
    expect(first.status).toBe(201);
    const second = await post(
      "/v1/revocations",
      { grant: "reports", reason: "incident" },
      await admin(),
    );
    expect(second.body.revocation).toMatchObject({ iss: ISSUER, grantId: "reports" });

    const all = await (
      await fetch(`${broker.url}/v1/revocations?since=${first.body.cursor}`)
    ).json();
    expect(all.revocations.map((r: any) => r.cursor)).toEqual([second.body.cursor]);
    expect(all.cursor).toBe(second.body.cursor);
    const bad = await fetch(`${broker.url}/v1/revocations?since=-1`);
    expect(bad.status).toBe(400);
  });

  it("grant-revocation-same-second: a token minted in that second is covered", async () => {
    const token = (await askToken("svc:reporting", read)).body.token;
    const rev = await post("/v1/revocations", { grant: "reports" }, await admin());
    const list = new MemoryRevocationList({ maxStalenessMs: 60_000 });
    list.add(rev.body.revocation);
    const verifier = await createVerifier({
      keys: broker.jwks(),
      issuer: ISSUER,
      audience: "s3",
      revocation: list,
    });
    const decision = await verifier.check(token, read.requests[0]!);
    expect(decision.outcome === "deny" && decision.reason).toBe("revoked");
  });
});
