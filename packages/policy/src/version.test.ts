import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compilePolicy, formatPolicy } from "./index.js";

const now = new Date("2026-12-04T12:00:00Z");

const A = `grant a {
  principal human "ann"
  resources ["s3://acme/team-a/*", "pg://appdb/Public.Orders"]
  actions [read, list]
  justification "CHG-1" "Reports."
  expires 2027-06-30
  max-lifetime 15m
  network ["10.20.0.0/16", "2001:DB8::/32"]
  window mon-fri 08:00-18:00 in "Europe/Berlin"
  flag "x" = true
  artifact "sha256:${"ab".repeat(32)}"
  step-up on [window]
  step-up when flag "first-use" = true
}
`;
const B = `grant b {
  principal service @svc
  resources ["vault://secret/app/*"]
  actions [read]
  justification "BP-2" "Secrets."
  expires 2027-01-31T12:00:00Z
  max-lifetime 5m
}
group principals @svc = ["svc:one", "svc:two"]
`;

function version(...texts: string[]): string {
  return compilePolicy(
    texts.map((text, i) => ({ file: `f${i}.pulse`, text })),
    { now },
  ).version;
}

describe("policy version", () => {
  const base = version(A + B);

  test("has the documented normal form", () => {
    const grants = [
      {
        actions: ["read", "list"],
        context: {
          artifact: `sha256:${"ab".repeat(32)}`,
          cidr: ["10.20.0.0/16", "2001:db8::/32"],
          flags: { x: true },
          window: {
            days: ["mon", "tue", "wed", "thu", "fri"],
            end: "18:00",
            start: "08:00",
            tz: "Europe/Berlin",
          },
        },
        expiresAt: "2027-06-30T00:00:00.000Z",
        id: "a",
        justification: { ref: "CHG-1", txt: "Reports." },
        maxLifetimeSeconds: 900,
        principal: { class: "human", ids: ["ann"] },
        resources: ["pg://appdb/public.orders", "s3://acme/team-a/*"],
        stepUp: { on: ["window"], when: { "first-use": true } },
      },
      {
        actions: ["read"],
        context: { artifact: null, cidr: null, flags: null, window: null },
        expiresAt: "2027-01-31T12:00:00.000Z",
        id: "b",
        justification: { ref: "BP-2", txt: "Secrets." },
        maxLifetimeSeconds: 300,
        principal: { class: "service", ids: ["svc:one", "svc:two"] },
        resources: ["vault://secret/app/*"],
        stepUp: { on: [], when: {} },
      },
    ];
    // Keys are already in sorted order above, so plain JSON.stringify is the canonical form.
    const expected = createHash("sha256").update(`pulse-policy/v1\n${JSON.stringify(grants)}`);
    expect(base).toBe(`sha256:${expected.digest("hex")}`);
  });

  test("does not change with layout, comments, order, file split or group names", () => {
    const shuffled = [
      "# a comment\n",
      B.replace("@svc", "@services").replace("@svc =", "@services ="),
      A.replace('["10.20.0.0/16", "2001:DB8::/32"]', '[ "2001:db8:0::/32", # v6\n "10.20.0.0/16" ]')
        .replace("[read, list]", "[list, read]")
        .replace("mon-fri", "fri,thu,mon-wed")
        .replace("2027-06-30", "2027-06-30T02:00:00+02:00")
        .replace("15m", "900s")
        .replace('"pg://appdb/Public.Orders"', '"pg://appdb/public.\\"orders\\""'),
    ].join("\n");
    expect(version(shuffled)).toBe(base);
    expect(version(formatPolicy(A), formatPolicy(B))).toBe(base);
    expect(version(B, A)).toBe(base);
  });

  test("does not change when grants are declared in any order", () => {
    const grants = [A, B, A.replace("grant a", "grant c"), A.replace("grant a", "grant d")];
    const reference = version(grants.join("\n"));
    fc.assert(
      fc.property(fc.shuffledSubarray(grants, { minLength: 4, maxLength: 4 }), (order) => {
        expect(version(order.join("\n"))).toBe(reference);
      }),
      { numRuns: 30 },
    );
  });

  test.each([
    ["grant id", ["grant a", "grant a2"]],
    ["principal class", ['principal human "ann"', 'principal temporary "ann"']],
    ["principal id", ['"ann"', '"anna"']],
    ["group member", ['"svc:two"]', '"svc:three"]']],
    ["resource", ["team-a/*", "team-b/*"]],
    ["action added", ["[read, list]", "[read, list, write]"]],
    ["justification reference", ["CHG-1", "CHG-2"]],
    ["justification text", ["Reports.", "Reports!"]],
    ["expiry by one second", ["2027-06-30", "2027-06-30T00:00:01Z"]],
    ["max-lifetime by one second", ["15m", "15m1s"]],
    ["network range", ["10.20.0.0/16", "10.20.0.0/17"]],
    ["window start", ["08:00-18:00", "08:01-18:00"]],
    ["window day", ["mon-fri", "mon-sat"]],
    ["window time zone", ["Europe/Berlin", "Europe/Paris"]],
    ["flag value", ['"x" = true', '"x" = "true"']],
    ["artifact", ["ab".repeat(32), "ac".repeat(32)]],
    ["step-up on", ["[window]", "[window, network]"]],
    ["step-up flag", ['"first-use" = true', '"first-use" = false']],
  ])("changes with the %s", (_name, [from, to]) => {
    const edited = (A + B).replace(from!, to!);
    expect(edited).not.toBe(A + B);
    expect(version(edited)).not.toBe(base);
  });
});
