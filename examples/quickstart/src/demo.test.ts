import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The demo as a user runs it: a child process, its printed tables, its audit file.
const here = new URL("..", import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "pulse-demo-test-"));
const auditFile = join(scratch, "audit.jsonl");

let run: { status: number | null; stdout: string; stderr: string };

beforeAll(() => {
  const child = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: here,
    env: { ...process.env, PULSE_DEMO_AUDIT: auditFile },
    encoding: "utf8",
    timeout: 120_000,
  });
  run = { status: child.status, stdout: child.stdout, stderr: child.stderr };
}, 130_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The rows of the table printed under the chapter whose title starts with `title`. */
function tableRows(title: string): string[][] {
  const section = run.stdout.split("\n== ").find((s) => s.startsWith(title)) ?? "";
  const lines = section.split("\n");
  const rule = lines.findIndex((line) => /^-+( {2}-+)+$/.test(line));
  if (rule < 0) return [];
  const end = lines.indexOf("", rule);
  // Cells are padded and separated by at least two spaces; step names have single spaces.
  return lines.slice(rule + 1, end < 0 ? undefined : end).map((line) => line.split(/ {2,}/));
}

function auditRecords(): Array<Record<string, unknown>> {
  return readFileSync(auditFile, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("npm run demo", () => {
  it("exits 0", () => {
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
  });

  it("tells the S3 story, one row per step", () => {
    const rows = tableRows("S3").map(([step, , , outcome, reason]) => [step, outcome, reason]);
    expect(rows).toEqual([
      ["upload inside the grant", "allow", undefined],
      ["download inside the grant", "allow", undefined],
      ["key outside the grant", "deny", "out-of-scope"],
      ["prefix confusion", "deny", "out-of-scope"],
      ["copy from a forbidden source", "deny", "out-of-scope"],
      ["address outside the CIDR", "deny", "context-cidr"],
      ["expired token", "deny", "expired"],
      ["revoked token", "deny", "revoked"],
      ["shadow: prefix confusion", "shadow-deny", "out-of-scope"],
    ]);
  });

  it("audits one S3 record per decision, with a reason on every denial", () => {
    const s3 = auditRecords().filter((r) => r["verifier"] === "s3");
    expect(s3).toHaveLength(tableRows("S3").length);
    expect(s3.map((r) => r["outcome"])).toEqual([
      "allow",
      "allow",
      ...Array.from({ length: 7 }, () => "deny"),
    ]);
    expect(s3.at(-1)).toMatchObject({ mode: "shadow", blocked: false, reason: "out-of-scope" });
  });

  it("tells the control-plane story: policy, broker, token source, feed", () => {
    const rows = tableRows("Control plane").map(([step, , , outcome, reason]) => [
      step,
      outcome,
      reason,
    ]);
    expect(rows).toEqual([
      ["read inside the grant", "allow", undefined],
      ["key outside the grant", "deny", "malformed (no token: the broker refused, no-grant)"],
      ["flag off, cached token", "deny", "context-flag"],
      ["flag off, new token", "deny", "malformed (no token: the broker refused, context-flag)"],
      ["flag on again", "allow", undefined],
      ["admin revokes the grant", "allow", undefined],
      ["read once the feed has it", "deny", "revoked"],
    ]);
  });

  it("audits the brokered reads under their own name, with the policy's grant", () => {
    const brokered = auditRecords().filter((r) => r["verifier"] === "s3-brokered");
    expect(brokered.map((r) => [r["outcome"], r["reason"]])).toEqual([
      ["allow", undefined],
      ["deny", "malformed"],
      ["deny", "context-flag"],
      ["deny", "malformed"],
      ["allow", undefined],
      ["deny", "revoked"],
    ]);
    // Every token came from the broker, under the grant in policies/reporting.pulse.
    for (const record of brokered.filter((r) => r["jti"] !== undefined)) {
      expect(record).toMatchObject({
        sub: "svc:reporting",
        grant: { id: "reporting-read", ver: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
        sourceIp: "127.0.0.1",
      });
    }
  });

  it("writes a reason on every denial of every chapter, and never a token", () => {
    const records = auditRecords();
    for (const record of records.filter((r) => r["outcome"] !== "allow")) {
      expect(record["reason"]).toEqual(expect.any(String));
    }
    const text = readFileSync(auditFile, "utf8");
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(run.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });
});
