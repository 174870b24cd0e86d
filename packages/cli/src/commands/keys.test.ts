import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentKey, PASSPHRASE, pulse, tempDir } from "../internal/test-harness.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

describe("pulse keys generate", () => {
  it("writes an encrypted key file the broker loads, and prints its kid", async () => {
    const keys = join(dir, "keys");
    const run = await pulse(["keys", "generate", "--out", keys]);

    expect(run.status).toBe(0);
    const kid = run.stdout.split("\n")[0];
    expect((await currentKey(keys)).kid).toBe(kid);
    const files = await readdir(keys);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.jwe$/);
    expect(run.stdout).toContain("EdDSA");
    expect(run.stdout).not.toContain(PASSPHRASE);
  });

  it("adds a key that becomes current, keeping the older one (--json)", async () => {
    const keys = join(dir, "keys");
    const first = await pulse(["keys", "generate", "--out", keys, "--json"]);
    const second = await pulse(["keys", "generate", "--out", keys, "--alg", "EdDSA", "--json"]);

    expect(second.status).toBe(0);
    const out = JSON.parse(second.stdout) as {
      kid: string;
      alg: string;
      file: string;
      keys: number;
    };
    expect(out.kid).not.toBe((JSON.parse(first.stdout) as { kid: string }).kid);
    expect(out).toMatchObject({ alg: "EdDSA", keys: 2 });
    expect(out.file.startsWith(keys)).toBe(true);
    expect((await currentKey(keys)).kid).toBe(out.kid);
  });

  it("refuses no passphrase, a short one, and another than the directory's", async () => {
    const keys = join(dir, "keys");
    const none = await pulse(["keys", "generate", "--out", keys], { env: {} });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("PULSE_BROKER_KEY_PASSPHRASE is not set");

    const short = await pulse(["keys", "generate", "--out", keys], {
      env: { PULSE_BROKER_KEY_PASSPHRASE: "short" },
    });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain("at least 12 characters");

    await pulse(["keys", "generate", "--out", keys]);
    const other = await pulse(["keys", "generate", "--out", keys], {
      env: { PULSE_BROKER_KEY_PASSPHRASE: "another long passphrase" },
    });
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/cannot be decrypted/);
    expect(await readdir(keys)).toHaveLength(1);
  });

  it("names the missing ES256 support; refuses other algorithms and no --out", async () => {
    const es = await pulse(["keys", "generate", "--out", dir, "--alg", "ES256"]);
    expect(es.status).toBe(1);
    expect(es.stderr).toContain("ES256 key files cannot be written yet");

    const hs = await pulse(["keys", "generate", "--out", dir, "--alg", "HS256"]);
    expect(hs.status).toBe(1);
    expect(hs.stderr).toContain("expected EdDSA or ES256");

    const noOut = await pulse(["keys", "generate"]);
    expect(noOut.status).toBe(1);
    expect(noOut.stderr).toContain("--out DIR is required");
    expect(await readdir(dir)).toHaveLength(0);
  });

  it("prints help with status 0, and a usage error without a subcommand", async () => {
    const help = await pulse(["keys", "generate", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("usage: pulse keys generate");

    const missing = await pulse(["keys"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("a keys command is required");
  });
});
