// What the AWS Secrets Manager store does, run against the protocol fixture and, when
// configured, a real endpoint. Names are under a fresh prefix per run.
import { describe, expect, it } from "vitest";
import type { SecretStore } from "../../src/index.js";
import { codeOf } from "./tokens.js";

// ListSecrets is eventually consistent on the real service: ask again (up to ten seconds)
// until the listing has the expected number of names, then let the assertion judge it.
async function settled(list: () => Promise<readonly string[]>, size: number) {
  let names = await list();
  for (let i = 0; i < 10 && names.length < size; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    names = await list();
  }
  return names;
}

export function awsStoreContract(
  name: string,
  target: () => { store: SecretStore; prefix: string },
) {
  describe(`AWS Secrets Manager store: ${name}`, () => {
    it("creates, updates and reads strings; objects are written as JSON text", async () => {
      const { store, prefix } = target();
      const first = await store.put(`${prefix}/app/db`, "one");
      const second = await store.put(`${prefix}/app/db`, { password: "two" });
      expect(second.version).not.toBe(first.version);
      expect((await store.get(`${prefix}/app/db`)).value).toBe('{"password":"two"}');
      expect((await store.get(`${prefix}/app/db`, { version: first.version })).value).toBe("one");
      expect((await store.metadata(`${prefix}/app/db`)).currentVersion).toBe(second.version);
    });

    it("creates only when absent with cas 0, and has no version check-and-set", async () => {
      const { store, prefix } = target();
      await store.put(`${prefix}/cas/db`, "one", { cas: 0 });
      expect(await codeOf(store.put(`${prefix}/cas/db`, "two", { cas: 0 }))).toBe(
        "ERR_PULSE_VAULT_CAS_MISMATCH",
      );
      expect(await codeOf(store.put(`${prefix}/cas/db`, "two", { cas: 1 }))).toBe(
        "ERR_PULSE_VAULT_UNSUPPORTED",
      );
    });

    it("lists one level across pages", async () => {
      const { store, prefix } = target();
      for (const leaf of ["a/x", "a/y/z", "b", "c", "d"])
        await store.put(`${prefix}/tree/${leaf}`, "v");
      await store.put(`${prefix}/tree-other/e`, "v");
      expect(await settled(() => store.list(`${prefix}/tree`), 4)).toEqual(["a/", "b", "c", "d"]);
      expect(await settled(() => store.list(`${prefix}/tree/a`), 2)).toEqual(["x", "y/"]);
    });

    it("reads a batch in order and fails it when one secret is missing", async () => {
      const { store, prefix } = target();
      await store.put(`${prefix}/many/a`, "a");
      await store.put(`${prefix}/many/b`, "b");
      const records = await store.getMany([`${prefix}/many/b`, `${prefix}/many/a`]);
      expect(records.map((r) => r.value)).toEqual(["b", "a"]);
      expect(await codeOf(store.getMany([`${prefix}/many/a`, `${prefix}/many/none`]))).toBe(
        "ERR_PULSE_VAULT_NOT_FOUND",
      );
    });

    it("soft-deletes with a recovery window and restores", async () => {
      const { store, prefix } = target();
      await store.put(`${prefix}/gone/db`, "v");
      await store.delete(`${prefix}/gone/db`);
      expect(await codeOf(store.get(`${prefix}/gone/db`))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
      await store.undelete(`${prefix}/gone/db`, { versions: [] });
      expect((await store.get(`${prefix}/gone/db`)).value).toBe("v");
    });

    it("refuses what Secrets Manager cannot do, and non-canonical names", async () => {
      const { store, prefix } = target();
      expect(await codeOf(store.destroy(`${prefix}/x`, { versions: ["v"] }))).toBe(
        "ERR_PULSE_VAULT_UNSUPPORTED",
      );
      expect(await codeOf(store.delete(`${prefix}/x`, { versions: ["v"] }))).toBe(
        "ERR_PULSE_VAULT_UNSUPPORTED",
      );
      expect(await codeOf(store.get(`${prefix}/../x`))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
      expect(await codeOf(store.get(`${prefix}/missing`))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
    });
  });
}
