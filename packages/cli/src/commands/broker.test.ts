import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentKey,
  EXAMPLE_POLICIES,
  PASSPHRASE,
  pulse,
  reportingToken,
  tempDir,
} from "../internal/test-harness.js";

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => ({ dir, remove } = await tempDir()));
afterAll(() => remove());

// The embedded PGlite store, whatever the environment of the test run says.
const env = { PULSE_BROKER_KEY_PASSPHRASE: PASSPHRASE, PATH: process.env["PATH"] };

describe("pulse broker", () => {
  it("runs pulse-broker on 127.0.0.1:0, serves its JWKS, stops on abort (status 0)", async () => {
    const keys = join(dir, "keys");
    const generated = await pulse(["keys", "generate", "--out", keys, "--json"]);
    const { kid } = JSON.parse(generated.stdout) as { kid: string };

    const controller = new AbortController();
    let listening: (url: string) => void;
    const url = new Promise<string>((resolve) => (listening = resolve));
    let log = "";
    const running = pulse(
      ["broker", "--policy", EXAMPLE_POLICIES, "--keys", keys, "--listen", "127.0.0.1:0"],
      {
        env: { ...env, PULSE_BROKER_ISSUER: "https://broker.test" },
        signal: controller.signal,
        onStderr: (text) => {
          log += text;
          const found = /"message":"pulse-broker listening","url":"([^"]+)"/.exec(log);
          if (found) listening(found[1]!);
        },
      },
    );
    const base = await Promise.race([
      url,
      running.then((r) => Promise.reject(new Error(`broker exited ${r.status}: ${r.stderr}`))),
    ]);

    try {
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${base}/.well-known/jwks.json`);
      expect(response.status).toBe(200);
      const jwks = (await response.json()) as { keys: Array<{ kid: string; d?: string }> };
      expect(jwks.keys.map((k) => k.kid)).toContain(kid);
      expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

      // A token signed with the generated key verifies against the running broker's JWKS.
      const token = await reportingToken(await currentKey(keys), { iss: "https://broker.test" });
      const verified = await pulse([
        ...["verify", token, "--jwks", `${base}/.well-known/jwks.json`],
        ...["--issuer", "https://broker.test", "--audience", "s3"],
        ...["--resource", "s3://acme-reports/team-a/q1.csv", "--action", "read"],
        ...["--source-ip", "10.20.3.4"],
      ]);
      expect(verified.stdout).toMatch(/^allow/);
      expect(verified.status).toBe(0);
    } finally {
      controller.abort();
    }
    const stopped = await running;
    expect(stopped.status).toBe(0);
    expect(stopped.stderr).toContain('"policyVersion":"sha256:');
  });

  it("passes on the broker's refusal of a broken policy with its exit status", async () => {
    const keys = join(dir, "keys-2");
    await pulse(["keys", "generate", "--out", keys]);
    const policy = join(dir, "policy");
    await mkdir(policy);
    await writeFile(join(policy, "bad.pulse"), "grant x {\n  actions [read write]\n}\n");

    const run = await pulse(
      ["broker", "--policy", policy, "--keys", keys, "--listen", "127.0.0.1:0"],
      { env },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("pulse-broker failed to start");
    expect(run.stderr).toContain("bad.pulse:2:");
  });

  it("refuses a missing --policy, --keys or passphrase before starting anything", async () => {
    const cases: Array<[string[], Record<string, string | undefined>, string]> = [
      [["broker", "--keys", dir], env, "--policy DIR is required"],
      [["broker", "--policy", dir], env, "--keys DIR is required"],
      [["broker", "--policy", dir, "--keys", dir], {}, "PULSE_BROKER_KEY_PASSPHRASE is not set"],
      [["broker", "--policy", dir, "--keys", dir, "--port", "1"], env, "Unknown option '--port'"],
    ];
    for (const [args, environment, message] of cases) {
      const run = await pulse(args, { env: environment });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(message);
    }
    const help = await pulse(["broker", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("usage: pulse broker --policy DIR --keys DIR");
  });
});
