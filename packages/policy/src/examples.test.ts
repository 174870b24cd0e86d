import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { evaluate, formatPolicy, loadPolicy } from "./index.js";

const root = fileURLToPath(new URL("../../../examples/policies/", import.meta.url));
const now = new Date("2026-12-04T12:00:00Z");

describe("examples/policies", () => {
  test("loads with every grant and no errors", async () => {
    const policy = await loadPolicy(root, { now });
    expect(policy.grants.map((g) => g.id)).toEqual([
      "analysts-read-orders",
      "dba-incident-access",
      "nightly-backup",
      "reporting-export",
    ]);
    expect(policy.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(policy.warnings).toEqual([]);
  });

  test("the analysts' grant steps up outside office hours and issues inside them", async () => {
    const policy = await loadPolicy(root, { now });
    const ask = (time: string) =>
      evaluate(policy, {
        principal: { class: "human", id: "ravi@acme.example" },
        requests: [{ resource: "pg://appdb/public.orders", action: "read" }],
        context: { sourceIp: "10.20.3.4", time: new Date(time), flags: {} },
      });

    const saturday = ask("2026-12-05T10:00:00Z");
    expect(saturday.outcome).toBe("step-up");

    const monday = ask("2026-12-07T09:00:00Z");
    expect(monday.outcome).toBe("issue");
    if (monday.outcome !== "issue") return;
    expect(monday.capability.cap).toEqual([{ res: "pg://appdb/public.orders", act: ["read"] }]);
    expect(monday.capability.ctx.stepUp).toEqual(["window"]);
    expect(monday.capability.grt).toEqual({ id: "analysts-read-orders", ver: policy.version });
  });

  test.each([
    "reporting.pulse",
    "operations.pulse",
    "shared/people.pulse",
    "shared/networks.pulse",
  ])("%s is already in canonical form", async (file) => {
    const text = await readFile(`${root}${file}`, "utf8");
    expect(formatPolicy(text, { file })).toBe(text);
  });
});
