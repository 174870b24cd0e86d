import { describe, expect, it } from "vitest";
import { checkContext, insideWindow, parseAddressStrict, parseCidrStrict } from "./context.js";

describe("strict addresses", () => {
  it.each([
    "010.20.1.5",
    "0x0a.20.1.5",
    "10.20.261",
    "10.20.1",
    "167777281",
    "10.20.1.5 ",
    " 10.20.1.5",
    "10.20.1.256",
    "fe80::1%eth0",
    "",
    "::ffff:010.1.2.3",
    "::ffff:0x0a.1.2.3",
    "1.2.3.4/32",
  ])("octal-hex-short-ipv4 %j is not an address", (text) => {
    expect(parseAddressStrict(text)).toBeUndefined();
  });

  it.each([
    ["10.20.1.5", "10.20.1.5"],
    ["0.0.0.0", "0.0.0.0"],
    ["2001:db8::1", "2001:db8::1"],
    ["::ffff:10.20.1.5", "10.20.1.5"],
  ])("%s reads as %s", (text, expected) => {
    expect(parseAddressStrict(text)?.toString()).toBe(expected);
  });

  it.each([
    "10.0.0.0/33",
    "10.0.0.0/08",
    "010.0.0.0/8",
    "10.0.0.0",
    "2001:db8::/129",
    "::ffff:10.0.0.0/104",
  ])("%s is not a strict CIDR", (text) => {
    expect(parseCidrStrict(text)).toBeUndefined();
  });
});

describe("context constraints", () => {
  const at = new Date("2026-12-02T10:00:00Z");

  it.each([
    ["10.20.0.0", undefined],
    ["10.20.255.255", undefined],
    ["10.21.0.0", "cidr"],
    ["10.19.255.255", "cidr"],
    ["::ffff:10.20.3.4", undefined],
    ["2001:db8::5", undefined],
    ["2001:db9::", "cidr"],
    ["010.20.1.5", "address"],
    ["0x0a.20.1.5", "address"],
  ])("cidr boundary %s → %s", (sourceIp, expected) => {
    const ctx = { cidr: ["10.20.0.0/16", "2001:db8::/32"] };
    expect(checkContext(ctx, { sourceIp }, at, undefined)?.constraint).toBe(expected);
  });

  it("no-source-address with a cidr constraint fails closed", () => {
    expect(checkContext({ cidr: ["10.0.0.0/8"] }, {}, at, undefined)?.constraint).toBe("cidr");
  });

  it("flags must be present and equal", () => {
    const ctx = { flags: { "change-freeze": false, env: "prod" } };
    expect(
      checkContext(ctx, { flags: { "change-freeze": false, env: "prod" } }, at, undefined),
    ).toBeUndefined();
    expect(checkContext(ctx, { flags: { env: "prod" } }, at, undefined)?.detail).toContain(
      "missing",
    );
    expect(
      checkContext(ctx, { flags: { "change-freeze": "false", env: "prod" } }, at, undefined)
        ?.constraint,
    ).toBe("flags");
  });

  it("artifact must match the configured digest", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    expect(checkContext({ artifact: digest }, {}, at, digest)).toBeUndefined();
    expect(checkContext({ artifact: digest }, {}, at, undefined)?.constraint).toBe("artifact");
    expect(checkContext({ artifact: digest }, {}, at, `sha256:${"b".repeat(64)}`)?.constraint).toBe(
      "artifact",
    );
  });
});

describe("time windows", () => {
  const office = {
    tz: "Europe/Berlin",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "08:00",
    end: "18:00",
  } as const;

  it.each([
    ["2026-12-02T07:00:00Z", true], // Wed 08:00 CET, start inclusive
    ["2026-12-02T06:59:59Z", false],
    ["2026-12-02T16:59:59Z", true],
    ["2026-12-02T17:00:00Z", false], // 18:00 CET, end exclusive
    ["2026-12-05T10:00:00Z", false], // Saturday
    ["2026-03-27T06:30:00Z", false], // Fri 07:30 CET, before the DST change
    ["2026-03-30T06:30:00Z", true], // Mon 08:30 CEST, after it
    ["2026-10-26T06:30:00Z", false], // Mon 07:30 CET, after the autumn change
  ])("Europe/Berlin office hours at %s: %s", (iso, expected) => {
    expect(insideWindow(new Date(iso), office)).toBe(expected);
  });

  it("overnight windows belong to the day they start on", () => {
    const night = { tz: "America/New_York", days: ["fri"], start: "22:00", end: "02:00" } as const;
    expect(insideWindow(new Date("2026-12-05T03:30:00Z"), night)).toBe(true); // Fri 22:30
    expect(insideWindow(new Date("2026-12-05T06:30:00Z"), night)).toBe(true); // Sat 01:30
    expect(insideWindow(new Date("2026-12-05T07:30:00Z"), night)).toBe(false); // Sat 02:30
    expect(insideWindow(new Date("2026-12-04T06:30:00Z"), night)).toBe(false); // Fri 01:30
  });

  it("an unknown time zone cannot be decided", () => {
    expect(insideWindow(new Date(), { ...office, tz: "Mars/Olympus" })).toBeUndefined();
  });
});
