import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storable } from "./internal/context.js";
import type { Fixture } from "./testing/fixture.js";
import { startFixture } from "./testing/fixture.js";

let f: Fixture;

beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f?.close());

async function latestAuditId(): Promise<string | undefined> {
  return (await f.store.auditSince(undefined, 1_000_000)).at(-1)?.id;
}

async function revoke(body: string) {
  const admin = `Bearer ${await f.idp.assertion("svc:security")}`;
  return f.post("/v1/revocations", body, { authorization: admin });
}

describe("audit-suppression", () => {
  it("a deny for a principal id with a lone surrogate and a NUL is still audited", async () => {
    const since = await latestAuditId();
    const outside = { audience: "s3", requests: [{ resource: "s3://acme/b/1", action: "read" }] };

    const res = await f.askToken("svc:odd\ud800\u0000", outside);
    expect(res.status).toBe(403);
    expect(res.body.reasons[0].code).toBe("no-grant");

    const rows = await f.store.auditSince(since, 1_000_000);
    const deny = rows.find((r) => r.event === "deny" && r.principal?.startsWith("svc:odd"));
    expect(deny?.principal).toBe("svc:odd\ufffd\ufffd");
  });

  it.each([
    ["a NUL in jti", '{"jti":"a\\u0000b"}', "/jti"],
    ["a lone surrogate in jti", '{"jti":"\\ud800"}', "/jti"],
    ["a line feed in principal", '{"principal":"svc:a\\nsvc:b"}', "/principal"],
    ["a lone surrogate in grant", '{"grant":"g\\udc00"}', "/grant"],
    ["a lone surrogate in reason", '{"grant":"reports","reason":"x\\ud800"}', "/reason"],
    ["an escape character in reason", '{"grant":"reports","reason":"\\u001b[2J"}', "/reason"],
  ])("a revocation with %s is a 400, not a 500", async (_, body, path) => {
    const res = await revoke(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: "invalid_request",
      detail: `${path} must match format "printable-text"`,
    });
  });

  it.each([
    ["a NUL", "s3://acme/team-a/r\u0000.csv"],
    ["a lone surrogate", "s3://acme/team-a/r\ud800.csv"],
    ["a C1 control", "s3://acme/team-a/r\u0085.csv"],
  ])("a token request for a resource with %s is a 400", async (_, resource) => {
    const res = await f.askToken("svc:reporting", {
      audience: "s3",
      requests: [{ resource, action: "read" }],
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('/requests/0/resource must match format "printable-text"');
  });

  it("a reason with a paired surrogate (an emoji) is stored and audited", async () => {
    const since = await latestAuditId();
    const res = await revoke('{"grant":"nothing-granted","reason":"rotated \\ud83d\\udd11"}');
    expect(res.status).toBe(201);
    const rows = await f.store.auditSince(since, 1_000_000);
    const row = rows.find((r) => r.event === "revoke" && r.grantId === "nothing-granted");
    expect(row?.detail?.reason).toBe("rotated \u{1f511}");
  });
});

describe("storable", () => {
  it("replaces NUL and unpaired surrogates in keys and values, keeps the rest", () => {
    const event = { a: ["x\u0000", { "k\ud800": "\udc00v" }], n: 1, ok: "\u{1f511}", z: null };
    expect(storable(event)).toEqual({
      a: ["x\ufffd", { "k\ufffd": "\ufffdv" }],
      n: 1,
      ok: "\u{1f511}",
      z: null,
    });
  });
});
