import type { Action } from "@pulse/core";
import { describe, expect, test } from "vitest";
import type { Evaluation, EvaluationRequest, PolicySet } from "./index.js";
import { compilePolicy, evaluate } from "./index.js";

const now = new Date("2026-12-04T12:00:00Z");
const DIGEST = `sha256:${"ab".repeat(32)}`;

function policy(...grants: string[]): PolicySet {
  const text = [
    'group networks @office = ["10.20.0.0/16", "2001:db8:20::/48"]',
    'group principals @dba = ["mei", "ola"]',
    ...grants,
  ].join("\n");
  return compilePolicy([{ file: "p.pulse", text }], { now });
}

function grant(id: string, ...extra: string[]): string {
  return [
    `grant ${id} {`,
    '  principal human "ann"',
    '  resources ["s3://acme-reports/team-a/*", "pg://appdb/public.orders"]',
    "  actions [read, list]",
    '  justification "CHG-1" "Reports."',
    "  expires 2027-06-30T00:00:00Z",
    "  max-lifetime 15m",
    ...extra.map((line) => `  ${line}`),
    "}",
  ].join("\n");
}

type Ctx = Partial<EvaluationRequest["context"]>;

function ask(
  set: PolicySet,
  context: Ctx = {},
  requests: Array<[string, Action]> = [["s3://acme-reports/team-a/q1.csv", "read"]],
  principal: EvaluationRequest["principal"] = { class: "human", id: "ann" },
): Evaluation {
  return evaluate(set, {
    principal,
    requests: requests.map(([resource, action]) => ({ resource, action })),
    context: { time: new Date("2027-01-04T10:00:00Z"), flags: {}, ...context },
  });
}

/** The outcome and the reason codes, for compact tables. */
function verdict(result: Evaluation): string {
  if (result.outcome === "issue") return "issue";
  return `${result.outcome}:${result.reasons.map((r) => r.code).join(",")}`;
}

describe("network (CIDR) at its edges", () => {
  const set = policy(grant("g", "network [@office]"));
  test.each([
    ["10.20.0.0", "issue"],
    ["10.20.255.255", "issue"],
    ["10.19.255.255", "deny:context-cidr"],
    ["10.21.0.0", "deny:context-cidr"],
    ["::ffff:10.20.1.1", "issue"],
    ["2001:db8:20::", "issue"],
    ["2001:db8:20:ffff:ffff:ffff:ffff:ffff", "issue"],
    ["2001:db8:21::", "deny:context-cidr"],
    ["2001:db8:1f:ffff:ffff:ffff:ffff:ffff", "deny:context-cidr"],
    ["2001:0db8:0020:0000:0000:0000:0000:0001", "issue"],
    ["::1", "deny:context-cidr"],
  ])("%s → %s", (sourceIp, expected) => {
    expect(verdict(ask(set, { sourceIp }))).toBe(expected);
  });

  test("no source address denies with context-cidr", () => {
    const result = ask(set);
    expect(result).toEqual({
      outcome: "deny",
      reasons: [
        { code: "context-cidr", grantId: "g", detail: "no source address in the request context" },
      ],
    });
  });

  test("an address that is not strict is a malformed request, not a match", () => {
    expect(verdict(ask(set, { sourceIp: "010.20.1.1" }))).toBe("deny:malformed-request");
    expect(verdict(ask(set, { sourceIp: "10.20.1.1%eth0" }))).toBe("deny:malformed-request");
  });

  test("a /32 and a /128 match exactly one address", () => {
    const single = policy(grant("g", 'network ["10.0.0.7/32", "2001:db8::7/128"]'));
    expect(verdict(ask(single, { sourceIp: "10.0.0.7" }))).toBe("issue");
    expect(verdict(ask(single, { sourceIp: "10.0.0.8" }))).toBe("deny:context-cidr");
    expect(verdict(ask(single, { sourceIp: "2001:db8::7" }))).toBe("issue");
    expect(verdict(ask(single, { sourceIp: "2001:db8::6" }))).toBe("deny:context-cidr");
  });
});

describe("window at its edges and across DST", () => {
  const berlin = policy(grant("g", 'window mon-fri 08:00-18:00 in "Europe/Berlin"'));
  test.each([
    // Winter, UTC+1: 08:00 local is 07:00Z.
    ["2027-01-04T06:59:59Z", "deny:context-window"],
    ["2027-01-04T07:00:00Z", "issue"],
    ["2027-01-04T16:59:59Z", "issue"],
    ["2027-01-04T17:00:00Z", "deny:context-window"],
    ["2027-01-09T10:00:00Z", "deny:context-window"], // Saturday
    // Friday before the switch to summer time (UTC+1) and Monday after it (UTC+2).
    ["2027-03-26T06:30:00Z", "deny:context-window"],
    ["2027-03-29T06:30:00Z", "issue"],
    ["2027-03-29T15:59:59Z", "issue"],
    ["2027-03-29T16:00:00Z", "deny:context-window"],
  ])("Europe/Berlin %s → %s", (time, expected) => {
    expect(verdict(ask(berlin, { time: new Date(time) }))).toBe(expected);
  });

  const springGap = policy(grant("g", 'window sun 02:30-03:30 in "Europe/Berlin"'));
  test.each([
    // 2027-03-28: 02:00 CET jumps to 03:00 CEST; 02:30 local never happens.
    ["2027-03-28T00:59:59Z", "deny:context-window"], // 01:59:59 CET
    ["2027-03-28T01:00:00Z", "issue"], // 03:00 CEST
    ["2027-03-28T01:29:59Z", "issue"], // 03:29:59 CEST
    ["2027-03-28T01:30:00Z", "deny:context-window"], // 03:30 CEST
  ])("Europe/Berlin spring gap %s → %s", (time, expected) => {
    expect(verdict(ask(springGap, { time: new Date(time) }))).toBe(expected);
  });

  const newYork = policy(
    grant("g", 'window sun 01:00-02:00 in "America/New_York"').replace(
      "2027-06-30T00:00:00Z",
      "2027-12-01T00:00:00Z",
    ),
  );
  test.each([
    // 2027-11-07: 02:00 EDT falls back to 01:00 EST, so 01:00-02:00 local happens twice.
    ["2027-11-07T04:59:59Z", "deny:context-window"], // 00:59:59 EDT
    ["2027-11-07T05:00:00Z", "issue"], // 01:00 EDT
    ["2027-11-07T06:30:00Z", "issue"], // 01:30 EST, the second time round
    ["2027-11-07T06:59:59Z", "issue"], // 01:59:59 EST
    ["2027-11-07T07:00:00Z", "deny:context-window"], // 02:00 EST
    // 2027-03-14: 02:00 EST jumps to 03:00 EDT.
    ["2027-03-14T06:00:00Z", "issue"], // 01:00 EST
    ["2027-03-14T06:59:59Z", "issue"], // 01:59:59 EST
    ["2027-03-14T07:00:00Z", "deny:context-window"], // 03:00 EDT
  ])("America/New_York %s → %s", (time, expected) => {
    expect(verdict(ask(newYork, { time: new Date(time) }))).toBe(expected);
  });

  const overnight = policy(grant("g", 'window fri 22:00-06:00 in "UTC"'));
  const late = policy(grant("g", 'window mon 18:00-24:00 in "UTC"'));
  test.each([
    [overnight, "2027-01-08T21:59:59Z", "deny:context-window"], // Friday
    [overnight, "2027-01-08T22:00:00Z", "issue"],
    [overnight, "2027-01-09T05:59:59Z", "issue"], // Saturday morning belongs to Friday's window
    [overnight, "2027-01-09T06:00:00Z", "deny:context-window"],
    [overnight, "2027-01-08T05:00:00Z", "deny:context-window"], // Friday 05:00: not Thursday's
    [late, "2027-01-04T23:59:59Z", "issue"],
    [late, "2027-01-05T00:00:00Z", "deny:context-window"],
  ])("%# %s → %s", (set, time, expected) => {
    expect(verdict(ask(set, { time: new Date(time) }))).toBe(expected);
  });
});

describe("flags and artifact", () => {
  const set = policy(
    grant("g", 'flag "incident" = true', 'flag "region" = "eu"', `artifact "${DIGEST}"`),
  );
  const good = { incident: true, region: "eu" };
  test.each<[string, Ctx, string]>([
    ["all present", { flags: good, artifact: DIGEST }, "issue"],
    ["flag missing", { flags: { region: "eu" }, artifact: DIGEST }, "deny:context-flag"],
    ["flag false", { flags: { ...good, incident: false }, artifact: DIGEST }, "deny:context-flag"],
    [
      "string 'true' is not true",
      { flags: { ...good, incident: "true" }, artifact: DIGEST },
      "deny:context-flag",
    ],
    ["other region", { flags: { ...good, region: "us" }, artifact: DIGEST }, "deny:context-flag"],
    ["no artifact", { flags: good }, "deny:context-artifact"],
    [
      "other artifact",
      { flags: good, artifact: `sha256:${"cd".repeat(32)}` },
      "deny:context-artifact",
    ],
    ["both wrong", { flags: {} }, "deny:context-flag,context-artifact"],
  ])("%s → %s", (_name, context, expected) => {
    expect(verdict(ask(set, context))).toBe(expected);
  });

  test("a missing flag is named in the reason", () => {
    const result = ask(set, { flags: { region: "eu" }, artifact: DIGEST });
    expect(result.outcome === "deny" && result.reasons[0]?.detail).toBe("flag incident missing");
  });
});

describe("expiry and lifetime", () => {
  const set = policy(grant("g"));
  const expiry = new Date("2027-06-30T00:00:00Z").getTime();
  test.each([
    [expiry - 3600_000, "issue", 900],
    [expiry - 100_000, "issue", 100],
    [expiry - 1000, "issue", 1],
    [expiry - 999, "deny:grant-expired", 0],
    [expiry, "deny:grant-expired", 0],
  ])("at %i → %s, lifetime %i", (ms, expected, lifetime) => {
    const result = ask(set, { time: new Date(ms) });
    expect(verdict(result)).toBe(expected);
    if (result.outcome !== "issue") return;
    expect(result.capability.lifetimeSeconds).toBe(lifetime);
    expect(result.capability.expiresAt.getTime()).toBeLessThanOrEqual(expiry);
  });
});

describe("coverage: one grant, narrowest capability", () => {
  const set = policy(
    grant("reports"),
    grant("orders-write", 'network ["10.0.0.0/8"]').replace(
      /resources \[.*\]\n  actions \[read, list\]/,
      'resources ["pg://appdb/public.orders"]\n  actions [write]',
    ),
  );

  test("the capability is exactly what was asked, not the grant's pattern", () => {
    const result = ask(set, {}, [
      ["s3://acme-reports/team-a/q1.csv", "read"],
      ["s3://acme-reports/team-a/2027/*", "list"],
      ["s3://acme-reports/team-a/q1.csv", "list"],
    ]);
    if (result.outcome !== "issue") throw new Error(verdict(result));
    expect(result.capability.cap).toEqual([
      { res: "s3://acme-reports/team-a/q1.csv", act: ["read", "list"] },
      { res: "s3://acme-reports/team-a/2027/*", act: ["list"] },
    ]);
    expect(result.capability).toMatchObject({
      pcl: "human",
      jus: { ref: "CHG-1", txt: "Reports." },
      grt: { id: "reports", ver: set.version },
      ctx: {},
    });
  });

  test.each<[string, Array<[string, Action]>, string]>([
    ["a pattern wider than the grant", [["s3://acme-reports/*", "read"]], "deny:no-grant"],
    ["a sibling prefix", [["s3://acme-reports/team-a-old/x", "read"]], "deny:no-grant"],
    [
      "an action the grant lacks",
      [["s3://acme-reports/team-a/x", "delete"]],
      "deny:action-not-granted",
    ],
    [
      "two grants needed",
      [
        ["pg://appdb/public.orders", "read"],
        ["pg://appdb/public.orders", "write"],
      ],
      "deny:no-single-grant",
    ],
    ["a bad resource", [["s3://*", "read"]], "deny:malformed-request"],
  ])("%s → %s", (_name, requests, expected) => {
    expect(verdict(ask(set, { sourceIp: "10.1.1.1" }, requests))).toBe(expected);
  });

  test("principals match exactly or through a group, in their class", () => {
    const groups = policy(grant("g").replace('principal human "ann"', "principal human @dba"));
    expect(verdict(ask(groups, {}, undefined, { class: "human", id: "mei" }))).toBe("issue");
    expect(verdict(ask(groups, {}, undefined, { class: "human", id: "Mei" }))).toBe(
      "deny:no-grant",
    );
    expect(verdict(ask(groups, {}, undefined, { class: "service", id: "mei" }))).toBe(
      "deny:no-grant",
    );
    expect(verdict(ask(groups, {}, undefined, { class: "human", id: "ann" }))).toBe(
      "deny:no-grant",
    );
  });

  test("when two grants would issue, the smaller id is used", () => {
    const two = policy(grant("b-grant"), grant("a-grant"));
    const result = ask(two);
    expect(result.outcome === "issue" && result.grantId).toBe("a-grant");
  });
});

describe("step-up", () => {
  const window = 'window mon-fri 08:00-18:00 in "UTC"';
  const saturday = new Date("2027-01-09T10:00:00Z");

  test("a mismatch the grant routes to step-up gives step-up, naming the constraint", () => {
    const set = policy(grant("g", window, "step-up on [window]"));
    expect(ask(set, { time: saturday })).toEqual({
      outcome: "step-up",
      grantId: "g",
      reasons: [{ code: "context-window", detail: "outside mon,tue,wed,thu,fri 08:00-18:00 UTC" }],
    });
    const weekday = ask(set);
    expect(weekday.outcome === "issue" && weekday.capability.ctx).toEqual({
      window: {
        tz: "UTC",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "08:00",
        end: "18:00",
      },
      stepUp: ["window"],
    });
  });

  test("a mismatch not routed to step-up still denies", () => {
    const set = policy(grant("g", window, "network [@office]", "step-up on [window]"));
    expect(verdict(ask(set, { time: saturday, sourceIp: "192.0.2.1" }))).toBe(
      "deny:context-cidr,context-window",
    );
    expect(verdict(ask(set, { time: saturday, sourceIp: "10.20.0.1" }))).toBe(
      "step-up:context-window",
    );
  });

  test("a step-up flag in the context routes to step-up even when all else holds", () => {
    const set = policy(grant("g", 'step-up when flag "first-use" = true'));
    expect(verdict(ask(set, { flags: { "first-use": true } }))).toBe("step-up:step-up-flag");
    expect(verdict(ask(set, { flags: { "first-use": false } }))).toBe("issue");
    expect(verdict(ask(set))).toBe("issue");
  });
});

describe("malformed requests deny, never throw", () => {
  const set = policy(grant("g"));
  test.each<[string, unknown]>([
    [
      "no requests",
      { principal: { class: "human", id: "ann" }, requests: [], context: { time: now, flags: {} } },
    ],
    [
      "unknown class",
      {
        principal: { class: "robot", id: "ann" },
        requests: [{ resource: "s3://acme-reports/team-a/x", action: "read" }],
        context: { time: now, flags: {} },
      },
    ],
    [
      "unknown action",
      {
        principal: { class: "human", id: "ann" },
        requests: [{ resource: "s3://acme-reports/team-a/x", action: "fly" }],
        context: { time: now, flags: {} },
      },
    ],
    [
      "invalid time",
      {
        principal: { class: "human", id: "ann" },
        requests: [{ resource: "s3://acme-reports/team-a/x", action: "read" }],
        context: { time: new Date(Number.NaN), flags: {} },
      },
    ],
    [
      "flag of the wrong type",
      {
        principal: { class: "human", id: "ann" },
        requests: [{ resource: "s3://acme-reports/team-a/x", action: "read" }],
        context: { time: now, flags: { a: 1 } },
      },
    ],
    ["null", null],
  ])("%s", (_name, request) => {
    expect(verdict(evaluate(set, request as EvaluationRequest))).toBe("deny:malformed-request");
  });
});
