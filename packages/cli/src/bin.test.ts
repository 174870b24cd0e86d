import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EXAMPLE_POLICIES, PASSPHRASE, pulse, tempDir } from "./internal/test-harness.js";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const run = async (args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args]);
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

// These run the built program; `npm run build -w @pulse/cli` first (the other tests do not need
// it). Without a build they are skipped.
describe.skipIf(!existsSync(bin))("node dist/bin.js", () => {
  it("runs a command and exits with its status", async () => {
    const ok = await run(["policy", "check", EXAMPLE_POLICIES]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("policy version sha256:");
  });

  it("exits 1 with a message and no stack trace for bad input", async () => {
    for (const args of [["bogus"], ["inspect", "not-a-token"], ["verify", "x.y.z"]]) {
      const result = await run(args);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^pulse: error: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("passes SIGTERM on to pulse broker, which stops cleanly and frees its port", async () => {
    const { dir, remove } = await tempDir();
    try {
      await pulse(["keys", "generate", "--out", join(dir, "keys")]);
      const args = ["broker", "--policy", EXAMPLE_POLICIES, "--keys", join(dir, "keys")];
      const child = spawn(process.execPath, [bin, ...args, "--listen", "127.0.0.1:0"], {
        env: { PATH: process.env["PATH"], PULSE_BROKER_KEY_PASSPHRASE: PASSPHRASE },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
      let log = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (chunk: Buffer) => {
          log += chunk.toString("utf8");
          const found = /"pulse-broker listening","url":"([^"]+)"/.exec(log);
          if (found) resolve(found[1]!);
        });
        void exited.then((status) => reject(new Error(`exited ${status}: ${log}`)));
      });

      expect((await fetch(`${url}/.well-known/jwks.json`)).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/.well-known/jwks.json`)).rejects.toThrow();
    } finally {
      await remove();
    }
  });
});
