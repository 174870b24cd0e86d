import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadPolicy } from "@pulse/policy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLE_POLICIES, pulse, tempDir } from "../internal/test-harness.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

/** An expiry 100 days ahead, inside the default horizon. */
const expires = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);

const grant = (body: string) => `grant reporting-read {
  principal service "svc:reporting"
  resources ["s3://acme-reports/team-a/*"]
  ${body}
  justification "CHG-1" "The reporting job reads team A reports."
  expires ${expires}
  max-lifetime 5m
}
`;

describe("pulse policy check", () => {
  it("loads the example policy set and prints its version, status 0", async () => {
    const run = await pulse(["policy", "check", EXAMPLE_POLICIES]);
    const { version } = await loadPolicy(EXAMPLE_POLICIES);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`policy version ${version}`);
    expect(run.stdout).toContain("4 grants (analysts-read-orders, dba-incident-access");
    expect(run.stdout).toContain("0 errors, 0 warnings");
  });

  it("--json gives ok, version, grant ids and diagnostics", async () => {
    const run = await pulse(["policy", "check", EXAMPLE_POLICIES, "--json"]);
    const out = JSON.parse(run.stdout) as { ok: boolean; version: string; grants: string[] };
    expect(out.ok).toBe(true);
    expect(out.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.grants).toContain("nightly-backup");
  });

  it("broken-policy: prints each error at file:line:column with a caret, status 1", async () => {
    await writeFile(join(dir, "team-a.pulse"), grant("actions [read, wrte]"));
    const run = await pulse(["policy", "check", dir]);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain("team-a.pulse:4:18: error: unknown action wrte");
    expect(run.stdout).toMatch(/4 \|   actions \[read, wrte\]\n {2}\| {18}\^/);
    expect(run.stdout).toContain("policy refused: 1 error, 0 warnings");
  });

  it("syntax-error: reports where the parser stopped, status 1 (--json)", async () => {
    await writeFile(join(dir, "broken.pulse"), "grant x {\n  actions [read write]\n}\n");
    const run = await pulse(["policy", "check", dir, "--json"]);

    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      diagnostics: Array<Record<string, unknown>>;
    };
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ rule: "syntax", line: 2, severity: "error" });
    expect(String(out.diagnostics[0]!["file"])).toContain("broken.pulse");
  });

  it("prints warnings but loads, status 0", async () => {
    const group = 'group networks @unused = ["10.0.0.0/8"]\n\n';
    await writeFile(join(dir, "main.pulse"), group + grant("actions [read]"));
    const run = await pulse(["policy", "check", dir]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/main\.pulse:1:\d+: warning: .*unused/);
    expect(run.stdout).toContain("0 errors, 1 warning");
    expect(run.stdout).toContain("policy version sha256:");
  });

  it("reports a missing directory as a diagnostic and a wrong command line as usage", async () => {
    const missing = await pulse(["policy", "check", join(dir, "nope")]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("policy refused");

    const none = await pulse(["policy", "check"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("give exactly one policy directory");

    await mkdir(join(dir, "empty"));
    const sub = await pulse(["policy", "lint", dir]);
    expect(sub.status).toBe(1);
    expect(sub.stderr).toContain("unknown policy command lint");
  });
});
