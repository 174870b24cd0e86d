import { describe, expect, test } from "vitest";
import type { Diagnostic, PolicyError } from "./index.js";
import { compilePolicy } from "./index.js";

const now = new Date("2026-12-04T12:00:00Z");

const CLAUSES: Record<string, string> = {
  principal: 'principal service "svc:backup"',
  resources: 'resources ["s3://acme-backups/nightly/*"]',
  actions: "actions [read, write]",
  justification: 'justification "CHG-1" "Nightly backup."',
  expires: "expires 2027-06-30",
  lifetime: "max-lifetime 15m",
};

/** A valid grant on lines 1..8, with clause lines replaced or added. Clause n is on line n+1. */
function grant(change: Record<string, string | null> = {}, extra: string[] = []): string {
  const lines = Object.entries({ ...CLAUSES, ...change })
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([, line]) => `  ${line}`);
  return ["grant backup {", ...lines, ...extra.map((l) => `  ${l}`), "}", ""].join("\n");
}

function errorsOf(files: Record<string, string>, horizonDays?: number): Diagnostic[] {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  try {
    compilePolicy(sources, horizonDays === undefined ? { now } : { now, horizonDays });
  } catch (error) {
    return [...(error as PolicyError).diagnostics].filter((d) => d.severity === "error");
  }
  throw new Error("expected the policy to be refused");
}

function only(text: string): Pick<Diagnostic, "rule" | "line" | "column" | "message"> {
  const errors = errorsOf({ "p.pulse": text });
  expect(errors).toHaveLength(1);
  const { rule, line, column, message } = errors[0]!;
  return { rule, line, column, message };
}

describe("validator: each refusal with its position", () => {
  test.each<[string, string, string, number, number, string]>([
    [
      "no justification",
      grant({ justification: null }),
      "missing-justification",
      1,
      7,
      "grant backup has no justification: every grant says why it exists",
    ],
    [
      "no expiry",
      grant({ expires: null }),
      "missing-expires",
      1,
      7,
      "grant backup has no expiry: every grant ends",
    ],
    [
      "blank justification text",
      grant({ justification: 'justification "CHG-1" "  "' }),
      "missing-justification",
      5,
      25,
      "the justification text is 1 to 1024 characters, not blank",
    ],
    [
      "expired",
      grant({ expires: "expires 2026-12-04T11:59:59Z" }),
      "expired",
      6,
      3,
      "the grant expired at 2026-12-04T11:59:59.000Z",
    ],
    [
      "beyond the horizon",
      grant({ expires: "expires 2028-01-01" }),
      "beyond-horizon",
      6,
      3,
      "expiry 2028-01-01T00:00:00.000Z is beyond the horizon 2027-12-05T12:00:00.000Z",
    ],
    [
      "whole service",
      grant({ resources: 'resources ["s3://*"]' }),
      "invalid-resource",
      3,
      14,
      "s3://* names a whole service: a grant names one instance",
    ],
    [
      "prefix not at a / boundary",
      grant({ resources: 'resources ["s3://acme-backups/night*"]' }),
      "invalid-resource",
      3,
      14,
      "s3://acme-backups/night*: a prefix ends at a '/' boundary ('…/prefix/*', not '…/prefix*')",
    ],
    [
      "unknown action",
      grant({ actions: "actions [read, wrte]" }),
      "unknown-action",
      4,
      18,
      "unknown action wrte: expected read, write, delete, list, admin",
    ],
    [
      "action twice",
      grant({ actions: "actions [read, read]" }),
      "duplicate-action",
      4,
      18,
      "action read is listed twice",
    ],
    [
      "unknown principal class",
      grant({ principal: 'principal robot "r2"' }),
      "unknown-principal-class",
      2,
      13,
      "unknown principal class robot: expected human, service, temporary",
    ],
    [
      "invalid CIDR",
      grant({}, ['network ["10.0.0.300/24"]']),
      "invalid-cidr",
      8,
      12,
      '"10.0.0.300/24" is not a CIDR range (address/length)',
    ],
    [
      "CIDR with host bits",
      grant({}, ['network ["10.20.1.5/16"]']),
      "invalid-cidr",
      8,
      12,
      "10.20.1.5/16 has host bits set: write the network address of the range",
    ],
    [
      "IPv6 CIDR with host bits",
      grant({}, ['network ["2001:db8::1/64"]']),
      "invalid-cidr",
      8,
      12,
      "2001:db8::1/64 has host bits set: write the network address of the range",
    ],
    [
      "unknown time zone",
      grant({}, ['window mon-fri 08:00-18:00 in "Europe/Berlinn"']),
      "invalid-window",
      8,
      3,
      'unknown time zone "Europe/Berlinn"',
    ],
    [
      "window hour out of range",
      grant({}, ['window mon 08:00-25:00 in "UTC"']),
      "invalid-window",
      8,
      3,
      "window end 25:00 is not a time of day 00:00-24:00",
    ],
    [
      "empty window",
      grant({}, ['window mon 08:00-08:00 in "UTC"']),
      "invalid-window",
      8,
      3,
      "a window's start and end differ",
    ],
    [
      "bad artifact digest",
      grant({}, ['artifact "sha256:ABC"']),
      "invalid-artifact",
      8,
      12,
      "an artifact digest is sha256:<64 lower-case hex digits>",
    ],
    [
      "lifetime too long",
      grant({ lifetime: "max-lifetime 2h" }),
      "invalid-lifetime",
      7,
      3,
      "max-lifetime is 1s to 60m: tokens live minutes, not days",
    ],
    [
      "two principals",
      grant({}, ['principal human "ann"']),
      "duplicate-clause",
      8,
      3,
      "grant backup has two principal clauses",
    ],
    [
      "flag set twice",
      grant({}, ['flag "a" = true', 'flag "a" = false']),
      "duplicate-flag",
      9,
      8,
      "flag a is set twice",
    ],
    [
      "unknown step-up name",
      grant({}, ["step-up on [weather]"]),
      "invalid-step-up",
      8,
      15,
      "step-up on weather: expected network, window, flags, artifact",
    ],
    [
      "unknown group",
      grant({ principal: "principal human @nobody" }),
      "unknown-group",
      2,
      19,
      "unknown group @nobody",
    ],
  ])("%s", (_name, text, rule, line, column, message) => {
    expect(only(text)).toEqual({ rule, line, column, message });
  });

  test("every error is reported, not only the first", () => {
    const errors = errorsOf({
      "p.pulse": grant({ justification: null, actions: "actions [fly]" }),
    });
    expect(errors.map((e) => e.rule)).toEqual(["missing-justification", "unknown-action"]);
  });

  test("the error is typed with a stable code", () => {
    try {
      compilePolicy([{ file: "p.pulse", text: grant({ expires: null }) }], { now });
    } catch (error) {
      expect((error as PolicyError).code).toBe("ERR_PULSE_POLICY_INVALID");
      expect((error as PolicyError).message).toMatch(/^p\.pulse:1:7: error: grant backup has no/);
      return;
    }
    throw new Error("expected a refusal");
  });

  test("a syntax error in one file is reported with the syntax code", () => {
    try {
      compilePolicy(
        [
          { file: "ok.pulse", text: grant() },
          { file: "bad.pulse", text: "grant {" },
        ],
        { now },
      );
    } catch (error) {
      expect((error as PolicyError).code).toBe("ERR_PULSE_POLICY_SYNTAX");
      expect((error as PolicyError).diagnostics[0]).toMatchObject({
        file: "bad.pulse",
        line: 1,
        column: 7,
      });
      return;
    }
    throw new Error("expected a refusal");
  });
});

describe("groups and includes across files", () => {
  const office = 'group networks @office = ["10.20.0.0/16"]\n';
  const team = 'group principals @team = ["ann", "bob"]\n';

  test("a group from an included file resolves; one from a file not included does not", () => {
    const uses = grant({ principal: "principal human @team" }, ["network [@office]"]);
    const ok = compilePolicy(
      [
        { file: "a.pulse", text: `include "shared/g.pulse"\n${uses}` },
        { file: "shared/g.pulse", text: office + team },
      ],
      { now },
    );
    expect(ok.grants[0]?.principal.ids).toEqual(["ann", "bob"]);
    expect(ok.grants[0]?.context.cidr).toEqual(["10.20.0.0/16"]);

    const errors = errorsOf({ "a.pulse": uses, "shared/g.pulse": office + team });
    expect(errors.map((e) => [e.rule, e.line, e.column])).toEqual([
      ["group-not-included", 2, 19],
      ["group-not-included", 8, 12],
    ]);
  });

  test("a network group used as principals is refused", () => {
    const errors = errorsOf({
      "a.pulse": office + grant({ principal: "principal human @office" }),
    });
    expect(errors[0]).toMatchObject({ rule: "wrong-group-kind", line: 3, column: 19 });
  });

  test("include cycle", () => {
    const errors = errorsOf({
      "a.pulse": 'include "b.pulse"\n',
      "b.pulse": 'include "sub/c.pulse"\n',
      "sub/c.pulse": 'include "../a.pulse"\n',
    });
    expect(errors).toEqual([
      expect.objectContaining({
        rule: "include-cycle",
        file: "sub/c.pulse",
        line: 1,
        column: 9,
        message: "include cycle: a.pulse -> b.pulse -> sub/c.pulse -> a.pulse",
      }),
    ]);
  });

  test("includes that leave the root, are absolute, or are missing", () => {
    const errors = errorsOf({
      "a.pulse": 'include "../outside.pulse"\ninclude "/etc/x.pulse"\ninclude "nope.pulse"\n',
    });
    expect(errors.map((e) => [e.rule, e.line, e.column, e.message])).toEqual([
      ["include-outside-root", 1, 9, 'include "../outside.pulse" escapes the policy root'],
      [
        "include-outside-root",
        2,
        9,
        'include "/etc/x.pulse" is absolute: includes are relative to the including file',
      ],
      ["include-not-found", 3, 9, "included file nope.pulse not found"],
    ]);
  });

  test("duplicate grant ids and groups across files", () => {
    const errors = errorsOf({ "a.pulse": team + grant(), "b.pulse": team + grant() });
    expect(errors.map((e) => [e.rule, e.file, e.line])).toEqual([
      ["duplicate-group", "b.pulse", 1],
      ["duplicate-grant", "b.pulse", 2],
    ]);
  });
});

describe("lint warnings", () => {
  test("overlapping grants, expiring soon, unused group, step-up without its constraint", () => {
    const text = [
      'group networks @unused = ["10.0.0.0/8"]',
      grant(),
      grant(
        {
          resources: 'resources ["s3://acme-backups/nightly/2027/*"]',
          expires: "expires 2026-12-10",
        },
        ["step-up on [window]"],
      ).replace("grant backup", "grant backup-2027"),
    ].join("\n");
    const policy = compilePolicy([{ file: "p.pulse", text }], { now });
    expect(policy.warnings.map((w) => [w.rule, w.line])).toEqual([
      ["unused-group", 1],
      ["expires-soon", 11],
      ["overlapping-grants", 11],
      ["step-up-without-constraint", 18],
    ]);
    expect(policy.warnings.every((w) => w.severity === "warning")).toBe(true);
  });

  test("grants for different principals do not overlap", () => {
    const text =
      grant() + grant({ principal: 'principal service "svc:other"' }).replace("backup", "other");
    expect(compilePolicy([{ file: "p.pulse", text }], { now }).warnings).toEqual([]);
  });
});

test("overlap-warnings-one-per-grant: many overlapping grants give one warning each", () => {
  const text = ["a", "b", "c"]
    .map((id) => grant().replace("grant backup", `grant ${id}`))
    .join("\n");
  const warnings = compilePolicy([{ file: "p.pulse", text }], { now }).warnings;
  expect(warnings.map((w) => [w.rule, w.message])).toEqual([
    ["overlapping-grants", "grant b overlaps grant a: same principal, actions and resources"],
    [
      "overlapping-grants",
      "grant c overlaps grant a and 1 more: same principal, actions and resources",
    ],
  ]);
});

describe("policy-text-misleads-a-reviewer", () => {
  test.each([
    ["zero-width space", "svc:rep\u200borting"],
    ["right-to-left override", "svc:\u202egnitroper"],
    ["newline", "svc:a\nb"],
    ["no-break space", "svc:re\u00a0porting"],
  ])("a principal id with a %s is refused", (_name, id) => {
    const text = grant({ principal: `principal service ${JSON.stringify(id)}` });
    expect(errorsOf({ "p.pulse": text }).map((d) => d.rule)).toEqual(["invalid-principal"]);
  });

  test("group names that differ only in case are refused", () => {
    const text = [
      'group networks @office = ["10.20.0.0/16"]',
      'group networks @Office = ["0.0.0.0/0"]',
      grant({}, ["network [@Office]"]),
    ].join("\n");
    expect(errorsOf({ "p.pulse": text }).map((d) => d.rule)).toContain("group-name-collision");
  });
});
