import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grant } from "../testing/policy.js";
import { runBroker } from "./run-broker.js";

let dir: string;
const env = { PULSE_BROKER_KEY_PASSPHRASE: "a long test passphrase" };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulse-bin-"));
  const policy = grant("dev", "svc:dev", 'resources ["s3://acme/dev/*"]\n  actions [read]');
  await writeFile(join(dir, "main.pulse"), policy.replace("principal service", "principal human"));
  const identity = {
    development: {
      enabled: true,
      identities: [{ principal: { class: "human", id: "svc:dev" }, secret: "dev-secret-1" }],
    },
  };
  await writeFile(join(dir, "identity.json"), JSON.stringify(identity));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("pulse-broker command line", () => {
  it("starts from its flags, warns about dev keys, issues", async () => {
    const warnings: string[] = [];
    const args = [
      "--policy",
      dir,
      "--keys",
      join(dir, "keys"),
      "--identity",
      join(dir, "identity.json"),
    ];
    const running = await runBroker([...args, "--listen", "127.0.0.1:0"], env, {
      warn: (m) => void warnings.push(m),
    });
    try {
      expect(warnings.join("\n")).toMatch(/development identity keys are ON/);
      const res = await fetch(`${running.broker.url}/v1/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "PulseDevKey dev-secret-1" },
        body: JSON.stringify({
          audience: "s3",
          requests: [{ resource: "s3://acme/dev/a", action: "read" }],
        }),
      });
      expect(res.status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it("missing arguments or passphrase: ERR_PULSE_BROKER_OPTIONS", async () => {
    const options = { code: "ERR_PULSE_BROKER_OPTIONS" };
    await expect(runBroker(["--keys", dir], env, {})).rejects.toMatchObject(options);
    await expect(runBroker(["--policy", dir, "--keys", dir], {}, {})).rejects.toMatchObject(
      options,
    );
    const bad = ["--policy", dir, "--keys", dir, "--listen", "nowhere"];
    await expect(runBroker(bad, env, {})).rejects.toMatchObject(options);
  });

  it("revocation-admin-cross-issuer: --revocation-admin takes JSON", async () => {
    const admin = { issuer: "development", principalClass: "human", id: "svc:dev" };
    const args = ["--policy", dir, "--keys", join(dir, "keys"), "--listen", "127.0.0.1:0"];
    const identityArgs = ["--identity", join(dir, "identity.json")];
    const running = await runBroker(
      [...args, ...identityArgs, "--revocation-admin", JSON.stringify(admin)],
      env,
      {},
    );
    try {
      const res = await fetch(`${running.broker.url}/v1/revocations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "PulseDevKey dev-secret-1" },
        body: JSON.stringify({ grant: "dev" }),
      });
      expect(res.status).toBe(201);
    } finally {
      await running.stop();
    }

    const wrongClass = JSON.stringify({ ...admin, principalClass: "robot" });
    await expect(
      runBroker([...args, ...identityArgs, "--revocation-admin", wrongClass], env, {}),
    ).rejects.toMatchObject({ code: "ERR_PULSE_BROKER_OPTIONS" });
    await expect(
      runBroker([...args, ...identityArgs, "--revocation-admin", "{broken"], env, {}),
    ).rejects.toMatchObject({ code: "ERR_PULSE_BROKER_OPTIONS" });
  });

  it("identity-file-echoed: a malformed --identity file is named, never quoted", async () => {
    const file = join(dir, "broken-identity.json");
    const secret = "PROD-DEPLOY-SECRET-4f9a1c";
    const text = `{"development": {"enabled": true, "identities": [\n  {"secret": ${secret}}]}}`;
    await writeFile(file, text);
    const args = ["--policy", dir, "--keys", join(dir, "keys"), "--identity", file];

    const error = await runBroker(args, env, {}).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: unknown },
    );
    expect(error).toMatchObject({ code: "ERR_PULSE_BROKER_OPTIONS" });
    expect(error?.message).toBe(
      `--identity ${file}: not valid JSON (syntax error at line 2, column 14)`,
    );
    expect(String(error)).not.toMatch(/PROD|DEPLOY|4f9a1c|"secret"/);
    expect(error?.cause).toBeUndefined();
  });
});
