import { describe, expect, it } from "vitest";
import { createTestAuthority } from "./testing.js";

const READ = { resource: "s3://acme/team-a/x", action: "read" } as const;

describe("createTestAuthority", () => {
  it("mints tokens its verifier allows, and honours its revocations", async () => {
    const authority = await createTestAuthority({ audience: "s3" });
    const token = await authority.token({
      cap: [{ res: "s3://acme/team-a/*", act: ["read"] }],
      jti: "t1",
    });
    expect((await authority.verifier.check(token, READ)).outcome).toBe("allow");
    authority.revocations.add({ iss: authority.issuer, jti: "t1" });
    expect(await authority.verifier.check(token, READ)).toMatchObject({ reason: "revoked" });
    expect(authority.audit.records.map((r) => r.outcome)).toEqual(["allow", "deny"]);
  });

  it("builds other verifiers on the same key, and mints at another time", async () => {
    const authority = await createTestAuthority({ audience: "s3" });
    const shadow = await authority.verifierWith({ mode: "shadow" });
    const old = await authority.token({
      cap: [{ res: "s3://acme/team-a/*", act: ["read"] }],
      now: () => Date.now() - 3_600_000,
    });
    expect(await shadow.check(old, READ)).toMatchObject({ reason: "expired", blocked: false });
  });
});
