import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretStoreContract } from "../test/helpers/contract.js";
import { codeOf } from "../test/helpers/tokens.js";
import { createFileSecretStore } from "./file-store.js";
import type { FileIo } from "./internal/file/atomic.js";
import { nodeIo } from "./internal/file/atomic.js";
import { FileSecretStore } from "./internal/file/file-store.js";
import { loadKey } from "./internal/file/key.js";
import type { SecretStore } from "./secret-store.js";

let directory: string;
let key: Buffer;
let store: SecretStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "pulse-vault-file-"));
  key = randomBytes(32);
  store = createFileSecretStore({ directory, key });
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

secretStoreContract("file store", () => ({ store, prefix: "t" }));

async function secretDir(path: string): Promise<string> {
  return join(directory, "secrets", Buffer.from(path).toString("base64url"));
}

describe("file store values", () => {
  it("keeps strings and JSON objects apart", async () => {
    await store.put("a/text", '{"looks":"like json"}');
    await store.put("a/json", { looks: "like json", nested: [1, true, null] });
    expect((await store.get("a/text")).value).toBe('{"looks":"like json"}');
    expect((await store.get("a/json")).value).toEqual({
      looks: "like json",
      nested: [1, true, null],
    });
  });

  it("refuses values that are not strings or plain JSON", async () => {
    const circular: Record<string, unknown> = {};
    circular["self"] = circular;
    for (const bad of [42, null, [1], { when: new Date() }, { n: Number.NaN }, circular]) {
      expect(await codeOf(store.put("a/bad", bad as never))).toBe("ERR_PULSE_VAULT_INVALID_VALUE");
    }
  });

  it("never writes the value in clear", async () => {
    await store.put("a/db", { password: "hunter2-plaintext-marker" });
    const dir = await secretDir("a/db");
    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name));
      expect(bytes.includes(Buffer.from("hunter2-plaintext-marker"))).toBe(false);
    }
  });

  it("uses a fresh nonce per write", async () => {
    await store.put("a/db", { same: "value" });
    await store.put("a/db", { same: "value" });
    const dir = await secretDir("a/db");
    const one = await readFile(join(dir, "v1.pvs"));
    const two = await readFile(join(dir, "v2.pvs"));
    expect(one.subarray(12, 24).equals(two.subarray(12, 24))).toBe(false);
  });
});

describe("file store keys and integrity", () => {
  it("wrong-key: a store opened with another key fails with WRONG_KEY", async () => {
    await store.put("a/db", { v: 1 });
    const other = createFileSecretStore({ directory, key: randomBytes(32) });
    expect(await codeOf(other.get("a/db"))).toBe("ERR_PULSE_VAULT_WRONG_KEY");
  });

  it("tampered-file: one flipped byte fails with TAMPERED", async () => {
    await store.put("a/db", { v: 1 });
    const file = join(await secretDir("a/db"), "v1.pvs");
    const bytes = await readFile(file);
    bytes[bytes.length - 1]! ^= 0x01;
    await writeFile(file, bytes);
    expect(await codeOf(store.get("a/db"))).toBe("ERR_PULSE_VAULT_TAMPERED");
  });

  it("truncated-file: a cut file fails with TAMPERED", async () => {
    await store.put("a/db", { v: 1 });
    const file = join(await secretDir("a/db"), "v1.pvs");
    await writeFile(file, (await readFile(file)).subarray(0, 20));
    expect(await codeOf(store.get("a/db"))).toBe("ERR_PULSE_VAULT_TAMPERED");
  });

  it("swapped-version-blob: an old version renamed over the new one fails", async () => {
    await store.put("a/db", { v: "old" });
    await store.put("a/db", { v: "new" });
    const dir = await secretDir("a/db");
    await rename(join(dir, "v1.pvs"), join(dir, "v2.pvs"));
    expect(await codeOf(store.get("a/db"))).toBe("ERR_PULSE_VAULT_TAMPERED");
  });

  it("swapped-secret-blob: a blob copied from another secret fails", async () => {
    await store.put("app/public", { v: "public" });
    await store.put("app/billing-admin/root", { v: "root" });
    const from = join(await secretDir("app/billing-admin/root"), "v1.pvs");
    await writeFile(join(await secretDir("app/public"), "v1.pvs"), await readFile(from));
    expect(await codeOf(store.get("app/public"))).toBe("ERR_PULSE_VAULT_TAMPERED");
  });

  it("refuses keys that are not 32 bytes, from every source", async () => {
    const short = createFileSecretStore({ directory, key: randomBytes(16) });
    expect(await codeOf(short.get("a"))).toBe("ERR_PULSE_VAULT_INVALID_KEY");

    const env = { K: randomBytes(31).toString("base64") };
    expect(await codeOf(loadKey({ keyEnv: "K" }, env))).toBe("ERR_PULSE_VAULT_INVALID_KEY");
    expect(await codeOf(loadKey({ keyEnv: "UNSET" }, {}))).toBe("ERR_PULSE_VAULT_INVALID_KEY");

    const keyFile = join(directory, "key");
    await writeFile(keyFile, "not a key\n");
    expect(await codeOf(loadKey({ keyFile }))).toBe("ERR_PULSE_VAULT_INVALID_KEY");
  });

  it("reads the key from an environment variable or a key file", async () => {
    await store.put("a/db", { v: 1 });
    const env = { PULSE_VAULT_KEY: key.toString("base64") };
    const fromEnv = new FileSecretStore(directory, loadKey({}, env), nodeIo, () => new Date());
    expect((await fromEnv.get("a/db")).value).toEqual({ v: 1 });

    const keyFile = join(directory, "key.hex");
    await writeFile(keyFile, `${key.toString("hex")}\n`);
    const fromFile = createFileSecretStore({ directory, keyFile });
    expect((await fromFile.get("a/db")).value).toEqual({ v: 1 });
  });
});

describe("file store crashes", () => {
  // Simulates a crash between writing the temporary file and renaming it: the rename never
  // happens and nothing is cleaned up, as after a power cut.
  function crashingIo(crashOn: (target: string) => boolean): FileIo {
    return {
      ...nodeIo,
      rename: async (from, to) => {
        if (crashOn(to)) throw Object.assign(new Error("simulated crash"), { code: "ECRASH" });
        return nodeIo.rename(from, to);
      },
      unlink: async () => undefined,
    };
  }

  it("crash-before-rename: the previous version stays current and readable", async () => {
    await store.put("a/db", { v: "before" });
    const io = crashingIo((to) => to.endsWith("v2.pvs"));
    const crashing = new FileSecretStore(directory, loadKey({ key }), io, () => new Date());
    expect(await codeOf(crashing.put("a/db", { v: "after" }))).toBe("ECRASH");

    const restarted = createFileSecretStore({ directory, key });
    expect((await restarted.get("a/db")).value).toEqual({ v: "before" });
    expect((await restarted.metadata("a/db")).currentVersion).toBe(1);
    expect(await restarted.list("a")).toEqual(["db"]);

    await restarted.put("a/db", { v: "after" });
    expect((await restarted.get("a/db")).value).toEqual({ v: "after" });
  });

  it("crash-before-meta-rename: a version is not current until its metadata is", async () => {
    await store.put("a/db", { v: "before" });
    const io = crashingIo((to) => to.endsWith("meta.pvs"));
    const crashing = new FileSecretStore(directory, loadKey({ key }), io, () => new Date());
    expect(await codeOf(crashing.put("a/db", { v: "after" }))).toBe("ECRASH");

    const restarted = createFileSecretStore({ directory, key });
    expect((await restarted.get("a/db")).value).toEqual({ v: "before" });
    const result = await restarted.put("a/db", { v: "again" });
    expect(result.version).toBe(2);
    expect((await restarted.get("a/db")).value).toEqual({ v: "again" });
  });

  it("crash-on-first-write: without its first metadata a secret does not exist", async () => {
    const io = crashingIo((to) => to.endsWith("meta.pvs"));
    const crashing = new FileSecretStore(directory, loadKey({ key }), io, () => new Date());
    expect(await codeOf(crashing.put("a/new", { v: 1 }))).toBe("ECRASH");

    const restarted = createFileSecretStore({ directory, key });
    expect(await restarted.list("a")).toEqual([]);
    expect(await codeOf(restarted.get("a/new"))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
    expect((await restarted.put("a/new", { v: 2 }, { cas: 0 })).version).toBe(1);
  });

  it("serialises concurrent check-and-set writes to one secret", async () => {
    await store.put("a/db", { v: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.put("a/db", { v: i + 1 }, { cas: 1 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await store.metadata("a/db")).currentVersion).toBe(2);
  });
});
