// Regressions from a red-team review: each test is named after the fault it pins.
import { describe, expect, it } from "vitest";
import { claims, header, mintInput, READ_X, setup, signRaw } from "../test/forge.js";
import { checkContext, parseAddressStrict } from "./context.js";
import { mint, parseResource } from "./index.js";

const reason = (d: { outcome: string; reason?: string }) => d.reason ?? d.outcome;

describe("red-team regressions", () => {
  it("ipv4-compatible-address-is-not-read-as-mapped", () => {
    expect(parseAddressStrict("::10.20.1.5")).toBeUndefined();
    expect(parseAddressStrict("::ffff:0:10.20.1.5")).toBeUndefined();
    expect(parseAddressStrict("64:ff9b::10.20.1.5")).toBeUndefined();
    expect(parseAddressStrict("::FFFF:10.20.1.5")?.toString()).toBe("10.20.1.5");
    expect(parseAddressStrict("0:0:0:0:0:ffff:10.20.1.5")?.toString()).toBe("10.20.1.5");
    const failure = checkContext(
      { cidr: ["10.20.0.0/16"] },
      { sourceIp: "::10.20.1.5" },
      new Date(),
      undefined,
    );
    expect(failure?.constraint).toBe("address");
  });

  it("inherited-flag-does-not-satisfy-a-constraint", () => {
    const polluted = Object.assign({}, JSON.parse('{"__proto__":{"mfa":true}}'));
    const inherited = Object.create({ mfa: true }) as Record<string, boolean>;
    for (const flags of [polluted, inherited]) {
      const failure = checkContext({ flags: { mfa: true } }, { flags }, new Date(), undefined);
      expect(failure?.constraint).toBe("flags");
    }
  });

  it.each([
    ["undefined requests", undefined, undefined],
    ["null requests", null, undefined],
    ["a null request", [null], undefined],
    ["a missing request", [READ_X, undefined], undefined],
    ["an unknown action", [{ resource: READ_X.resource, action: "sudo" }], undefined],
    ["a non-string resource", [{ resource: 42, action: "read" }], undefined],
    ["null options", READ_X, null],
  ])("check-never-throws-for-%s", async (_name, requests, options) => {
    const { key, verifier, audit } = await setup();
    const token = await mint(mintInput, key);
    const check = verifier.check.bind(verifier) as (
      t: string,
      r: unknown,
      o: unknown,
    ) => Promise<unknown>;
    const decision = (await check(token, requests, options)) as {
      outcome: string;
      reason?: string;
    };
    if (options === null) expect(reason(decision)).toBe("allow");
    else expect(reason(decision)).toBe("malformed");
    expect(audit.records).toHaveLength(1);
  });

  it("raw-control-character-in-json-is-malformed-without-an-error-log", async () => {
    const errors: string[] = [];
    const { key, verifier } = await setup({ logger: { error: (m) => errors.push(m) } });
    const body = JSON.stringify(claims()).replace('"svc:reporting"', '"svc:\treporting"');
    const decision = await verifier.check(await signRaw(header(key), body, key), READ_X);
    expect(decision).toMatchObject({
      outcome: "deny",
      reason: "malformed",
      detail: "payload is not JSON",
    });
    expect(errors).toEqual([]);
  });

  it("unknown-mode-never-turns-enforcement-off", async () => {
    const { createVerifier, exportJwks, generateSigningKey, noRevocation } =
      await import("./index.js");
    const key = await generateSigningKey();
    const options = {
      keys: exportJwks([key]),
      issuer: "i",
      audience: "s3",
      revocation: noRevocation(),
    };
    for (const mode of ["ENFORCE", "Shadow", "", "enforce "]) {
      const build = createVerifier({ ...options, mode: mode as "enforce" });
      await expect(build).rejects.toMatchObject({ code: "ERR_PULSE_INVALID_OPTIONS" });
    }
    const { verifier } = await setup();
    const decision = await verifier.check("junk", READ_X, { mode: "Shadow" as "shadow" });
    expect(decision).toMatchObject({ outcome: "deny", blocked: true, mode: "enforce" });
  });

  it("non-canonical-base64url-signature-is-malformed", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // An Ed25519 signature is 64 bytes: its last base64url character carries 4 unused bits.
    const twin = `${token.slice(0, -1)}${alphabet[alphabet.indexOf(token.at(-1)!) ^ 1]}`;
    expect(reason(await verifier.check(token, READ_X))).toBe("allow");
    expect(Buffer.from(twin.split(".")[2]!, "base64url")).toEqual(
      Buffer.from(token.split(".")[2]!, "base64url"),
    );
    expect(reason(await verifier.check(twin, READ_X))).toBe("malformed");
  });

  it.each([
    "team-a/%2e%2e/hr-private/salaries.csv%",
    "team-a/%2e%2e/hr-private/%ff",
    "team-a/%2e%2e/hr-private/%ED%A0%80x",
    "team-a/%c0%ae%c0%ae/hr-private/salaries.csv",
    "team-a/%e0%80%ae%e0%80%ae/hr-private/salaries.csv",
    "team-a/%u002e%u002e/hr-private/salaries.csv",
    "team-a/%25252525252e%25252525252e/hr-private/salaries.csv",
    `team-a/%${"25".repeat(11)}2e/x`,
  ])("dot-segment-hidden-by-lenient-decoding %s is malformed", (key) => {
    expect(() => parseResource(`s3://acme-reports/${key}`)).toThrow(/segments/);
  });

  it("keys with a literal percent that hide nothing stay valid", () => {
    expect(parseResource("s3://acme-reports/team-a/100%.txt").path).toBe("team-a/100%.txt");
    expect(parseResource("s3://acme-reports/team-a/a%20b").path).toBe("team-a/a%20b");
  });
});
