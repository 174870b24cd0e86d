import { exportSPKI, generateKeyPair as joseGenerateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  claims,
  header,
  ISSUER,
  mintInput,
  now,
  READ_X,
  setup,
  signHmac,
  signRaw,
} from "../test/forge.js";
import { exportJwks, generateSigningKey, mint } from "./index.js";
import type { Decision } from "./index.js";

function reason(decision: Decision): string | undefined {
  return decision.outcome === "allow" ? undefined : decision.reason;
}

describe("verifier: tokens that must be refused", () => {
  it.each(["none", "None", "NONE", "nOnE"])("alg-none-%s is bad-signature", async (alg) => {
    const { key, verifier } = await setup();
    const payload = JSON.stringify(claims());
    const unsigned = `${Buffer.from(header(key, { alg })).toString("base64url")}.${Buffer.from(
      payload,
    ).toString("base64url")}.`;
    expect(reason(await verifier.check(unsigned, READ_X))).toBe("bad-signature");
  });

  it("hs256-with-public-key-pem is bad-signature", async () => {
    const { key, verifier } = await setup();
    const ec = await joseGenerateKeyPair("ES256", { extractable: true });
    const pem = await exportSPKI(ec.publicKey);
    const forged = signHmac(header(key, { alg: "HS256" }), JSON.stringify(claims()), pem);
    expect(reason(await verifier.check(forged, READ_X))).toBe("bad-signature");
  });

  it("unknown-key-path-traversal-kid is bad-signature", async () => {
    const { verifier } = await setup();
    const stranger = await generateSigningKey();
    const forged = await signRaw(
      header(stranger, { kid: "../../../../dev/null" }),
      JSON.stringify(claims()),
      stranger,
    );
    const decision = await verifier.check(forged, READ_X);
    expect(reason(decision)).toBe("bad-signature");
  });

  it("known-kid-wrong-private-key is bad-signature", async () => {
    const { key, verifier } = await setup();
    const stranger = await generateSigningKey();
    const forged = await signRaw(header(key), JSON.stringify(claims()), stranger);
    expect(reason(await verifier.check(forged, READ_X))).toBe("bad-signature");
  });

  it.each(["jwk", "jku", "x5u", "x5c", "x5t"])("header-%s-refused as malformed", async (member) => {
    const { key, verifier } = await setup();
    const value = member === "jwk" ? key.publicJwk : "https://attacker.invalid/keys";
    const token = await signRaw(header(key, { [member]: value }), JSON.stringify(claims()), key);
    const decision = await verifier.check(token, READ_X);
    expect(reason(decision)).toBe("malformed");
    expect(decision.outcome === "deny" && decision.detail).toContain(member);
  });

  it("crit-present is malformed", async () => {
    const { key, verifier } = await setup();
    const token = await signRaw(header(key, { crit: ["exp"] }), JSON.stringify(claims()), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("duplicate-cap-members is malformed", async () => {
    const { key, verifier } = await setup();
    const body = JSON.stringify(claims()).replace(
      '"cap":',
      '"cap":[{"res":"s3://acme-reports/*","act":["admin"]}],"cap":',
    );
    const token = await signRaw(header(key), body, key);
    const decision = await verifier.check(token, READ_X);
    expect(reason(decision)).toBe("malformed");
    expect(decision.outcome === "deny" && decision.detail).toContain("cap");
  });

  it("duplicate-member-through-unicode-escape is malformed", async () => {
    const { key, verifier } = await setup();
    const body = JSON.stringify(claims()).replace('"sub":', '"\\u0073ub":"svc:root","sub":');
    const token = await signRaw(header(key), body, key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("duplicate-header-member is malformed", async () => {
    const { key, verifier } = await setup();
    const head = header(key).replace('"alg":', '"alg":"none","alg":');
    const token = await signRaw(head, JSON.stringify(claims()), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("one-mebibyte-token is malformed before decoding", async () => {
    const { verifier } = await setup();
    const huge = `${"a".repeat(1024 * 1024)}.b.c`;
    const decision = await verifier.check(huge, READ_X);
    expect(reason(decision)).toBe("malformed");
    expect(decision.outcome === "deny" && decision.detail).toContain("longer than");
  });

  it.each([
    ["empty", ""],
    ["two parts", "a.b"],
    ["non-base64url", "a+b.c.d"],
    ["header not json", `${Buffer.from("{nope").toString("base64url")}.e30.c2ln`],
    ["header an array", `${Buffer.from("[]").toString("base64url")}.e30.c2ln`],
  ])("garbage-%s is malformed, never a throw", async (_name, token) => {
    const { verifier } = await setup();
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("missing-token is malformed", async () => {
    const { verifier } = await setup();
    expect(reason(await verifier.check(undefined, READ_X))).toBe("malformed");
  });

  it("wrong-typ is malformed", async () => {
    const { key, verifier } = await setup();
    const token = await signRaw(header(key, { typ: "JWT" }), JSON.stringify(claims()), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("unknown-claim is malformed", async () => {
    const { key, verifier } = await setup();
    const token = await signRaw(header(key), JSON.stringify(claims({ adm: true })), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("missing-jti is malformed", async () => {
    const { key, verifier } = await setup();
    const { jti: _jti, ...rest } = claims();
    const token = await signRaw(header(key), JSON.stringify(rest), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("service-wide-capability is malformed", async () => {
    const { key, verifier } = await setup();
    const cap = [{ res: "s3://*", act: ["read"] }];
    const token = await signRaw(header(key), JSON.stringify(claims({ cap })), key);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });

  it("lifetime-over-maximum is malformed", async () => {
    const { key, verifier } = await setup({ maxLifetimeSeconds: 600 });
    const t = now();
    const token = await signRaw(header(key), JSON.stringify(claims({ exp: t + 3600 })), key);
    const decision = await verifier.check(token, READ_X);
    expect(reason(decision)).toBe("malformed");
    expect(decision.outcome === "deny" && decision.detail).toContain("lifetime");
  });

  it("wrong-audience", async () => {
    const { key, verifier } = await setup();
    const token = await mint({ ...mintInput, aud: "pg:orders" }, key);
    expect(reason(await verifier.check(token, READ_X))).toBe("wrong-audience");
  });

  it("foreign-issuer is bad-signature", async () => {
    const { key, verifier } = await setup();
    const token = await mint({ ...mintInput, iss: "https://other-broker.test" }, key);
    expect(reason(await verifier.check(token, READ_X))).toBe("bad-signature");
  });

  it("es256-key-cannot-verify-eddsa-header", async () => {
    const ecKey = await generateSigningKey({ alg: "ES256" });
    const { verifier } = await setup({ keys: exportJwks([ecKey]) });
    const token = await signRaw(
      JSON.stringify({ alg: "EdDSA", typ: "pulse+jwt", kid: ecKey.kid }),
      JSON.stringify(claims()),
      await generateSigningKey(),
    );
    expect(reason(await verifier.check(token, READ_X))).toBe("bad-signature");
  });
});

describe("verifier: time", () => {
  it("expired-token is expired, cold and warm", async () => {
    let clock = Date.now();
    const { key, verifier } = await setup({ now: () => clock, clockToleranceSeconds: 5 });
    const token = await mint(mintInput, key, { now: () => clock });
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
    clock += 306_000;
    expect(reason(await verifier.check(token, READ_X))).toBe("expired");
    verifier.clearCache();
    expect(reason(await verifier.check(token, READ_X))).toBe("expired");
  });

  it("within-clock-tolerance-after-exp is still allowed", async () => {
    let clock = Date.now();
    const { key, verifier } = await setup({ now: () => clock, clockToleranceSeconds: 30 });
    const token = await mint(mintInput, key, { now: () => clock });
    clock += 310_000;
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
  });

  it("future-token is not-yet-valid", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key, { now: () => Date.now() + 120_000 });
    expect(reason(await verifier.check(token, READ_X))).toBe("not-yet-valid");
  });

  it("es256-token verifies", async () => {
    const ecKey = await generateSigningKey({ alg: "ES256" });
    const { verifier } = await setup({ keys: exportJwks([ecKey]) });
    expect((await verifier.check(await mint(mintInput, ecKey), READ_X)).outcome).toBe("allow");
  });
});

describe("verifier: revocation", () => {
  it("revoked-after-cached-allow is revoked", async () => {
    const { key, verifier, revocations } = await setup();
    const token = await mint({ ...mintInput, jti: "tok-revoke" }, key);
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
    revocations.add({ iss: ISSUER, jti: "tok-revoke" });
    expect(reason(await verifier.check(token, READ_X))).toBe("revoked");
  });

  it("grant-revocation covers earlier tokens only", async () => {
    const { key, verifier, revocations } = await setup();
    const token = await mint(mintInput, key);
    revocations.add({ iss: ISSUER, grantId: "reporting-export", issuedBefore: now() + 1 });
    expect(reason(await verifier.check(token, READ_X))).toBe("revoked");
    revocations.add({ iss: "https://other.test", sub: "svc:reporting", issuedBefore: now() + 1 });
  });

  it("stale-revocation-data is revocation-stale", async () => {
    let clock = Date.now();
    const { MemoryRevocationList } = await import("./index.js");
    const revocations = new MemoryRevocationList({ maxStalenessMs: 10_000, now: () => clock });
    const { key, verifier } = await setup({ revocation: revocations, now: () => clock });
    const token = await mint(mintInput, key, { now: () => clock });
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
    clock += 11_000;
    expect(reason(await verifier.check(token, READ_X))).toBe("revocation-stale");
    revocations.markFresh();
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
  });

  it("throwing-revocation-checker is revocation-stale", async () => {
    const broken = {
      status: () => {
        throw new Error("redis down");
      },
    };
    const { key, verifier } = await setup({ revocation: broken });
    expect(reason(await verifier.check(await mint(mintInput, key), READ_X))).toBe(
      "revocation-stale",
    );
  });
});

describe("verifier: scope", () => {
  it.each([
    ["s3://acme-reports/team-a/x.csv", "read", undefined],
    ["s3://acme-reports/team-a/deep/x.csv", "write", undefined],
    ["s3://acme-reports/team-a-old/x.csv", "read", "out-of-scope"],
    ["s3://acme-reports-archive/team-a/x.csv", "read", "out-of-scope"],
    ["s3://acme-reports/team-a", "read", "out-of-scope"],
    ["s3://acme-reports/team-a/x.csv", "delete", "action-not-granted"],
    ["s3://acme-reports/team-a/../team-b/x", "read", "malformed"],
    ["s3://acme-reports/team-a/%2e%2e/team-b/x", "read", "malformed"],
    ["s3://acme-reports/team-a/%252E%252E/team-b/x", "read", "malformed"],
    ["s3://acme-reports/", "read", "malformed"],
  ] as const)("%s %s → %s", async (resource, action, expected) => {
    const { key, verifier } = await setup();
    const decision = await verifier.check(await mint(mintInput, key), { resource, action });
    expect(reason(decision)).toBe(expected);
  });

  it("one-request-out-of-scope denies the whole call", async () => {
    const { key, verifier } = await setup();
    const decision = await verifier.check(await mint(mintInput, key), [
      READ_X,
      { resource: "s3://acme-reports/hr-private/salaries.csv", action: "read" },
    ]);
    expect(reason(decision)).toBe("out-of-scope");
    expect(decision.outcome === "deny" && decision.failed?.resource).toContain("hr-private");
  });

  it("listing prefix wider than the grant is out-of-scope", async () => {
    const { key, verifier } = await setup();
    const token = await mint(
      { ...mintInput, cap: [{ res: mintInput.cap[0]!.res, act: ["list"] }] },
      key,
    );
    const list = (resource: string) =>
      verifier.check(token, { resource, action: "list", match: "prefix" });
    expect((await list("s3://acme-reports/team-a/")).outcome).toBe("allow");
    expect((await list("s3://acme-reports/team-a/2024-")).outcome).toBe("allow");
    expect(reason(await list("s3://acme-reports/team-a"))).toBe("out-of-scope");
    expect(reason(await list("s3://acme-reports/"))).toBe("out-of-scope");
  });

  it("empty-request-list is malformed", async () => {
    const { key, verifier } = await setup();
    expect(reason(await verifier.check(await mint(mintInput, key), []))).toBe("malformed");
  });
});

describe("verifier: modes, audit and cache", () => {
  it("shadow-mode reports the denial without blocking", async () => {
    const { key, verifier, audit } = await setup({ mode: "shadow" });
    const decision = await verifier.check(await mint(mintInput, key), {
      resource: "s3://acme-reports/team-b/x",
      action: "read",
    });
    expect(decision).toMatchObject({ outcome: "deny", reason: "out-of-scope", blocked: false });
    expect(audit.records.at(-1)).toMatchObject({ mode: "shadow", blocked: false });
  });

  it("enforce-mode blocks and off-mode checks nothing", async () => {
    const { verifier, audit } = await setup();
    expect((await verifier.check("junk", READ_X)).blocked).toBe(true);
    const off = await verifier.check("junk", READ_X, { mode: "off" });
    expect(off).toMatchObject({ outcome: "allow", blocked: false, mode: "off" });
    expect(audit.records).toHaveLength(1);
  });

  it("audit-records-never-hold-the-token", async () => {
    const { key, verifier, audit } = await setup();
    const token = await mint(mintInput, key);
    await verifier.check(token, READ_X, { context: { sourceIp: "10.0.0.1" }, operation: "Get" });
    await verifier.check(token, { resource: "s3://acme-reports/b/x", action: "read" });
    const other = await mint({ ...mintInput, sub: "svc:other" }, key);
    const spliced = `${other.split(".").slice(0, 2).join(".")}.${token.split(".")[2]}`;
    await verifier.check(spliced, READ_X);
    const text = JSON.stringify(audit.records);
    expect(text).not.toContain(token.split(".")[2]);
    expect(text).not.toContain(token.split(".")[1]!.slice(0, 40));
    expect(audit.records[0]).toMatchObject({
      outcome: "allow",
      operation: "Get",
      jti: expect.any(String),
    });
    expect(audit.records[1]).toMatchObject({ outcome: "deny", reason: "out-of-scope" });
    expect(audit.records[2]).toMatchObject({ outcome: "deny", reason: "bad-signature" });
  });

  it("throwing-audit-sink does not break decisions", async () => {
    const errors: string[] = [];
    const { key, verifier } = await setup({
      audit: { write: () => Promise.reject(new Error("disk full")) },
      logger: { error: (message) => errors.push(message) },
    });
    expect((await verifier.check(await mint(mintInput, key), READ_X)).outcome).toBe("allow");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual(["audit sink failed"]);
  });

  it("tampered-token-after-cached-allow is not served from cache", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key);
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
    const [h, p, s] = token.split(".");
    const tampered = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BA" : "AA"}`;
    expect(reason(await verifier.check(tampered, READ_X))).toBe("bad-signature");
  });

  it("token signed by jose directly with extra header member is refused", async () => {
    const { key, verifier } = await setup();
    const token = await new SignJWT(claims())
      .setProtectedHeader({
        alg: "EdDSA",
        typ: "pulse+jwt",
        kid: key.kid,
        b64: true,
        crit: ["b64"],
      })
      .sign(key.privateKey);
    expect(reason(await verifier.check(token, READ_X))).toBe("malformed");
  });
});
