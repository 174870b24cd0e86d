import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatPolicy, loadPolicy } from "@pulse/policy";
import { describe, expect, it } from "vitest";
import { POLICY_DIR, POLICY_HORIZON_DAYS } from "./chapters/broker.js";

// The control-plane chapter ships its policy as a reviewed file; keep it as a reviewer would.

describe("policies/ of the quickstart", () => {
  it("is in the canonical layout", async () => {
    const text = await readFile(join(POLICY_DIR, "reporting.pulse"), "utf8");
    expect(formatPolicy(text)).toBe(text);
  });

  it("loads without warnings with the chapter's horizon", async () => {
    const policy = await loadPolicy(POLICY_DIR, { horizonDays: POLICY_HORIZON_DAYS });
    expect(policy.warnings).toEqual([]);
  });
});
