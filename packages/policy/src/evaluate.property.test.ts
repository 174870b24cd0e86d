import type { Action } from "@pulse/core";
import { ACTIONS, parseResource, resourceCovers } from "@pulse/core";
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";
import type { EvaluationRequest, PolicySet } from "./index.js";
import { evaluate, loadPolicy } from "./index.js";

const root = fileURLToPath(new URL("../../../examples/policies/", import.meta.url));
let policy: PolicySet;

beforeAll(async () => {
  policy = await loadPolicy(root, { now: new Date("2026-12-04T12:00:00Z") });
});

// Requests built around the example grants, so that every outcome is reached, with outsiders
// mixed in: another principal, a wider or sibling resource, an action the grant lacks.
const SCENARIOS = [
  {
    principal: { class: "service", id: "svc:reporting" },
    resources: ["s3://acme-reports/team-a/q1.csv", "s3://acme-reports/team-a/2027/*"],
    actions: ["read", "write", "list"],
  },
  {
    principal: { class: "human", id: "ana@acme.example" },
    resources: ["pg://appdb/public.orders", "pg://appdb/public.order_lines"],
    actions: ["read"],
  },
  {
    principal: { class: "service", id: "svc:backup" },
    resources: [
      "s3://acme-backups/nightly/db.tar",
      "pg://appdb/public.orders",
      "pg://appdb/public.*",
    ],
    actions: ["read", "write", "list"],
  },
  {
    principal: { class: "human", id: "mei@acme.example" },
    resources: ["pg://appdb/public.orders", "vault://secret/appdb/root"],
    actions: ["read", "write", "admin"],
  },
] as const;
const OUTSIDERS = [
  "s3://acme-reports/*",
  "s3://acme-reports/team-a-old/x",
  "pg://appdb/private.keys",
];

const scenario = fc.constantFrom(...SCENARIOS);
const principal = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant({ class: "temporary" as const, id: "eve" }) },
);
const requests = scenario.chain((s) =>
  fc.record({
    scenario: fc.constant(s),
    principal,
    items: fc.array(
      fc.oneof(
        {
          weight: 12,
          arbitrary: fc.record({
            resource: fc.constantFrom(...s.resources),
            action: fc.constantFrom(...s.actions),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            resource: fc.constantFrom(...OUTSIDERS),
            action: fc.constantFrom(...s.actions),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            resource: fc.constantFrom(...s.resources),
            action: fc.constantFrom(...(ACTIONS as Action[])),
          }),
        },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);
const request = fc
  .record({
    asked: requests,
    context: fc.record({
      sourceIp: fc.constantFrom(
        "10.20.1.1",
        "10.40.8.9",
        "192.168.77.5",
        "2001:db8:20::5",
        "8.8.8.8",
      ),
      time: fc.date({
        min: new Date("2026-12-01T00:00:00Z"),
        max: new Date("2027-10-31T00:00:00Z"),
        noInvalidDate: true,
      }),
      flags: fc.dictionary(
        fc.constantFrom("incident-declared", "resource-first-use"),
        fc.oneof(fc.boolean(), fc.constant("true")),
      ),
      artifact: fc.constantFrom(
        "sha256:9f2c5a0e4b6d8f10213243546576879899aabbccddeeff00112233445566778f",
        `sha256:${"0".repeat(64)}`,
      ),
    }),
  })
  .map(({ asked, context }): EvaluationRequest => ({
    principal: asked.principal ?? asked.scenario.principal,
    requests: asked.items,
    context,
  }));

test("an issued capability is never wider than what was asked nor than the grant", () => {
  const outcomes = new Map<string, number>();
  fc.assert(
    fc.property(request, (req: EvaluationRequest) => {
      const result = evaluate(policy, req);
      outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
      if (result.outcome !== "issue") return;

      const grant = policy.grants.find((g) => g.id === result.grantId)!;
      expect(grant.principal.class).toBe(req.principal.class);
      expect(grant.principal.ids).toContain(req.principal.id);

      const patterns = grant.resources.map((r) => parseResource(r, { pattern: true }));
      for (const cap of result.capability.cap) {
        const asked = req.requests.filter((r) => r.resource === cap.res).map((r) => r.action);
        expect(asked.length).toBeGreaterThan(0);
        for (const act of cap.act) {
          expect(asked).toContain(act);
          expect(grant.actions).toContain(act);
        }
        const name = parseResource(cap.res, { pattern: true });
        expect(patterns.some((p) => resourceCovers(p, name))).toBe(true);
      }
      const asked = new Set(req.requests.map((r) => `${r.resource} ${r.action}`));
      const given = new Set(
        result.capability.cap.flatMap((c) => c.act.map((a) => `${c.res} ${a}`)),
      );
      expect(given).toEqual(asked);

      expect(result.capability.lifetimeSeconds).toBeLessThanOrEqual(grant.maxLifetimeSeconds);
      expect(result.capability.expiresAt.getTime()).toBeLessThanOrEqual(grant.expiresAt.getTime());
    }),
    { numRuns: 1500 },
  );
  // The generator must reach every outcome, or the property says nothing.
  expect(outcomes.get("issue")).toBeGreaterThan(30);
  expect(outcomes.get("deny")).toBeGreaterThan(30);
  expect(outcomes.get("step-up")).toBeGreaterThan(5);
});

test("a deny always names at least one reason, and the answer is deterministic", () => {
  fc.assert(
    fc.property(request, (req: EvaluationRequest) => {
      const first = evaluate(policy, req);
      expect(evaluate(policy, req)).toEqual(first);
      if (first.outcome !== "issue") expect(first.reasons.length).toBeGreaterThan(0);
    }),
    { numRuns: 500 },
  );
});
