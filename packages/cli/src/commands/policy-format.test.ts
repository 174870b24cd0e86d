import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatPolicy } from "@pulse/policy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLE_POLICIES, pulse, tempDir } from "../internal/test-harness.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

const messy = `# the reporting job
grant   reporting-read {  principal service "svc:reporting"
 actions [ read,list ]   resources ["s3://acme-reports/team-a/*"]
  justification "CHG-1" "Reads team A reports."
  max-lifetime 5m
 expires 2027-06-30 }
`;

describe("pulse policy format", () => {
  it("--check lists files that are not canonical, status 1, and writes nothing", async () => {
    const file = join(dir, "a.pulse");
    await writeFile(file, messy);
    const canonical = join(EXAMPLE_POLICIES, "reporting.pulse");
    const run = await pulse(["policy", "format", "--check", file, canonical]);

    expect(run.status).toBe(1);
    expect(run.stdout).toBe(`${file}\n`);
    expect(run.stderr).toContain("1 of 2 files are not canonical");
    expect(await readFile(file, "utf8")).toBe(messy);
  });

  it("formats in place with the policy package's formatter, then --check passes", async () => {
    const file = join(dir, "a.pulse");
    await writeFile(file, messy);
    const run = await pulse(["policy", "format", file]);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`formatted ${file}`);
    const text = await readFile(file, "utf8");
    expect(text).toBe(formatPolicy(messy));
    expect(text).toContain("# the reporting job");

    const check = await pulse(["policy", "format", "--check", file, "--json"]);
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ notCanonical: [], unchanged: [file], failed: [] });
  });

  it("the example policy set is canonical", async () => {
    const files = ["operations.pulse", "reporting.pulse", "shared/networks.pulse"];
    const run = await pulse([
      "policy",
      "format",
      "--check",
      ...files.map((f) => join(EXAMPLE_POLICIES, f)),
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
  });

  it("an unparsable file: its position is reported, it is left alone, status 1", async () => {
    const broken = join(dir, "broken.pulse");
    const good = join(dir, "good.pulse");
    await writeFile(broken, "grant x {\n  actions [read write]\n}\n");
    await writeFile(good, messy);
    const run = await pulse(["policy", "format", broken, good]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/broken\.pulse:2:\d+: error: /);
    expect(run.stderr).toContain("^");
    expect(await readFile(broken, "utf8")).toBe("grant x {\n  actions [read write]\n}\n");
    expect(await readFile(good, "utf8")).toBe(formatPolicy(messy));
    expect(run.stdout).toContain("1 formatted, 0 already canonical, 1 failed");
  });

  it("refuses missing files, directories and an empty command line", async () => {
    const run = await pulse(["policy", "format", join(dir, "nope.pulse"), dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("nope.pulse: cannot be read");
    expect(run.stderr).toContain(`${dir}: is a directory`);

    const none = await pulse(["policy", "format", "--check"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("give at least one policy file");
  });
});
