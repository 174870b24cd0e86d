import { join } from "node:path";
import type { SigningKey } from "@pulse/core";
import { exportSigningKey, generateSigningKey } from "@pulse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentKey, pulse, reportingToken, tempDir } from "../internal/test-harness.js";

let key: SigningKey;
let remove: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempDir();
  remove = temp.remove;
  await pulse(["keys", "generate", "--out", join(temp.dir, "keys")]);
  key = await currentKey(join(temp.dir, "keys"));
});
afterAll(() => remove());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("pulse inspect", () => {
  it("says loudly that nothing was verified, and prints header and claims readably", async () => {
    const token = await reportingToken(key, {
      ctx: {
        cidr: ["10.20.0.0/16"],
        window: { tz: "Europe/Berlin", days: ["mon", "tue"], start: "08:00", end: "18:00" },
        flags: { "reports-export": true },
        stepUp: ["window"],
      },
      jus: { ref: "CHG-1042", txt: "First line.\nSecond line." },
    });
    const run = await pulse(["inspect", token]);

    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^!! NOT VERIFIED/);
    expect(run.stdout).toContain(`kid          ${key.kid}`);
    expect(run.stdout).toContain("svc:reporting (service)");
    expect(run.stdout).toContain("s3://acme-reports/team-a/*: read, list");
    expect(run.stdout).toContain("network      10.20.0.0/16");
    expect(run.stdout).toContain("window       mon,tue 08:00-18:00 in Europe/Berlin");
    expect(run.stdout).toContain('flag         "reports-export" = true');
    expect(run.stdout).toContain("step-up on   window");
    expect(run.stdout).toContain("CHG-1042");
    expect(run.stdout).toMatch(/text {9}First line\.\n {15}Second line\./);
    expect(run.stdout).toContain("reporting-export");
    expect(run.stdout).toMatch(
      /expires {6}\d{4}-\d\d-\d\dT[\d:.]+Z \(expires in (5 minutes|4 minutes 5\d seconds)\)/,
    );
    expect(run.stdout).toContain("lifetime     5 minutes");
  });

  it("prints no key material and no token bytes", async () => {
    const token = await reportingToken(key);
    const run = await pulse(["inspect", token]);
    const signature = token.split(".")[2]!;
    expect(run.stdout).not.toContain(signature);
    expect(run.stdout).not.toContain(
      String((await exportSigningKey(await generateSigningKey({ extractable: true }))).d),
    );
    expect(run.stdout).not.toContain(String(key.publicJwk.x));
  });

  it("reads the token from standard input with -, and says when it expired", async () => {
    const hourAgo = () => Date.now() - 3_600_000;
    const token = await reportingToken(key, {}, hourAgo);
    const run = await pulse(["inspect", "-"], { stdin: `${token}\n` });

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\(expired 5\d minutes/);
  });

  it("--json gives verified: false, the header and the claims, and warns on stderr", async () => {
    const token = await reportingToken(key);
    const run = await pulse(["inspect", token, "--json"]);

    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      verified: false,
      header: { alg: "EdDSA", typ: "pulse+jwt", kid: key.kid },
      claims: { sub: "svc:reporting", grt: { id: "reporting-export" } },
      problems: [],
    });
    expect(run.stderr).toContain("NOT VERIFIED");
  });

  it("duplicate-claim: shows the problem core finds when a payload names cap twice", async () => {
    const good = await reportingToken(key);
    const [head, body] = good.split(".") as [string, string];
    const json = Buffer.from(body, "base64url").toString("utf8");
    const doubled = json.replace(/^\{/, '{"cap":[{"res":"s3://acme-reports/*","act":["read"]}],');
    const token = `${head}.${Buffer.from(doubled).toString("base64url")}.${good.split(".")[2]}`;
    const run = await pulse(["inspect", token]);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain("NOT VERIFIED");
    expect(run.stdout).toContain('payload has member "cap" twice');
  });

  it("key-in-header: does not print a header member that could carry a key", async () => {
    const jwk = { kty: "OKP", crv: "Ed25519", x: "secret-looking-key-bytes" };
    const header = b64({ alg: "EdDSA", typ: "pulse+jwt", kid: "k1", jwk });
    const payload = b64({ sub: "x" });
    const run = await pulse(["inspect", `${header}.${payload}.c2ln`]);

    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain("secret-looking-key-bytes");
    expect(run.stdout).toContain("header members not shown (refused by verifiers): jwk");
    expect(run.stdout).toMatch(/claims: \w+/);
  });

  it("refuses what does not decode, with status 1 and no stack trace", async () => {
    for (const bad of ["abc", "abc.def.ghi", `${b64({ alg: "EdDSA" })}.%%%.x`]) {
      const run = await pulse(["inspect", bad]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^pulse: error: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const none = await pulse(["inspect"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("a token (or - for standard input) is required");
  });
});
