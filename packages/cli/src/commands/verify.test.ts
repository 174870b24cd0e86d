import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SigningKey } from "@pulse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentKey,
  ISSUER,
  pulse,
  reportingToken,
  tempDir,
  writeJwks,
} from "../internal/test-harness.js";

let dir: string;
let key: SigningKey;
let jwks: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  await pulse(["keys", "generate", "--out", join(dir, "keys")]);
  key = await currentKey(join(dir, "keys"));
  jwks = await writeJwks(join(dir, "keys"), join(dir, "jwks.json"));
});
afterAll(() => remove());

const request = (resource: string, action = "read") => [
  ...["--jwks", jwks, "--issuer", ISSUER, "--audience", "s3"],
  ...["--resource", resource, "--action", action],
];

describe("pulse verify", () => {
  it("allows a request the token covers, with status 0", async () => {
    const token = await reportingToken(key);
    const run = await pulse([
      "verify",
      token,
      ...request("s3://acme-reports/team-a/q1.csv"),
      "--source-ip",
      "10.20.1.5",
    ]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^allow: read s3:\/\/acme-reports\/team-a\/q1\.csv/);
    expect(run.stdout).toContain("grant     reporting-export");
    expect(run.stdout).toContain("revocation not checked");
  });

  it("denies out of scope, no address and a wrong action: status 2 and the reason", async () => {
    const token = await reportingToken(key);
    const ip = ["--source-ip", "10.20.1.5"];
    const cases: Array<[string[], string]> = [
      [[...request("s3://acme-reports/team-b/q1.csv"), ...ip], "deny out-of-scope"],
      [request("s3://acme-reports/team-a/q1.csv"), "deny context-cidr"],
      [[...request("s3://acme-reports/team-a/q1.csv", "delete"), ...ip], "deny action-not-granted"],
    ];
    for (const [args, verdict] of cases) {
      const run = await pulse(["verify", token, ...args]);
      expect(run.status).toBe(2);
      expect(run.stdout.startsWith(verdict)).toBe(true);
      expect(run.stdout).toMatch(/detail {4}\S/);
    }
  });

  it("step-up (status 2) when the grant routes the failing constraint there", async () => {
    const token = await reportingToken(key, {
      ctx: { flags: { "incident-declared": true }, stepUp: ["flags"] },
    });
    const run = await pulse(["verify", token, ...request("s3://acme-reports/team-a/x")]);

    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^step-up context-flag/);

    const flagged = await pulse([
      "verify",
      token,
      ...request("s3://acme-reports/team-a/x"),
      "--flag",
      "incident-declared=true",
    ]);
    expect(flagged.status).toBe(0);
  });

  it("denies expired, foreign-key and foreign-issuer tokens (--json, stdin)", async () => {
    const expired = await reportingToken(key, {}, () => Date.now() - 3_600_000);
    const run = await pulse(["verify", "-", ...request("s3://acme-reports/team-a/x"), "--json"], {
      stdin: expired,
    });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: "deny",
      reason: "expired",
      request: { resource: "s3://acme-reports/team-a/x", action: "read" },
      revocationChecked: false,
    });

    const other = await tempDir();
    await pulse(["keys", "generate", "--out", other.dir]);
    const foreign = await reportingToken(await currentKey(other.dir));
    await other.remove();
    const bad = await pulse(["verify", foreign, ...request("s3://acme-reports/team-a/x")]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/^deny bad-signature/);

    const token = await reportingToken(key, { iss: "https://elsewhere" });
    const wrong = await pulse(["verify", token, ...request("s3://acme-reports/team-a/x")]);
    expect(wrong.stdout).toMatch(/^deny bad-signature/);
  });

  it("bad arguments and unusable key files: status 1, never a stack trace", async () => {
    const token = await reportingToken(key);
    const notJson = join(dir, "not.json");
    await writeFile(notJson, "keys: none");
    const privateSet = join(dir, "private.json");
    await writeFile(privateSet, JSON.stringify({ keys: [{ ...key.publicJwk, d: "AAAA" }] }));

    const cases: Array<[string[], RegExp]> = [
      [
        ["verify", token, ...request("s3://acme-reports/team-a/x", "fly")],
        /--action fly: expected one of/,
      ],
      [["verify", token, "--jwks", jwks], /--issuer ISS is required/],
      [["verify", ...request("s3://acme-reports/team-a/x")], /a token .* is required/],
      [["verify", token, ...request("s3://a/b"), "--jwks", notJson], /is not JSON/],
      [
        ["verify", token, ...request("s3://a/b"), "--jwks", join(dir, "missing.json")],
        /cannot read --jwks/,
      ],
      [["verify", token, ...request("s3://a/b"), "--jwks", privateSet], /private key material/],
      [["verify", token, ...request("s3://a/b"), "--flag", "novalue"], /expected NAME=VALUE/],
      [["verify", token, "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const run = await pulse(args);
      expect(run.status, args.join(" ")).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
