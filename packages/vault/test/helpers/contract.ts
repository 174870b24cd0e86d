// The behaviour every versioned SecretStore shares (file store, Vault KV v2), run against each
// backend: the same cases run against the protocol fixture and against a real server.
import { describe, expect, it } from "vitest";
import type { SecretStore } from "../../src/index.js";
import { codeOf } from "./tokens.js";

export interface ContractTarget {
  readonly store: SecretStore;
  /** A unique path prefix for this run, so a real server's other secrets are never touched. */
  readonly prefix: string;
}

export function secretStoreContract(name: string, target: () => ContractTarget): void {
  describe(`SecretStore contract: ${name}`, () => {
    it("writes versions and reads the latest or a given one", async () => {
      const { store, prefix } = target();
      const path = `${prefix}/app/db`;
      const first = await store.put(path, { password: "one" });
      const second = await store.put(path, { password: "two" });
      expect(second.version).toBe(Number(first.version) + 1);

      expect((await store.get(path)).value).toEqual({ password: "two" });
      expect((await store.get(path, { version: first.version })).value).toEqual({
        password: "one",
      });
    });

    it("refuses a check-and-set write against another version", async () => {
      const { store, prefix } = target();
      const path = `${prefix}/cas/db`;
      await store.put(path, { v: 1 }, { cas: 0 });
      expect(await codeOf(store.put(path, { v: 2 }, { cas: 0 }))).toBe(
        "ERR_PULSE_VAULT_CAS_MISMATCH",
      );
      await store.put(path, { v: 2 }, { cas: 1 });
      expect((await store.get(path)).value).toEqual({ v: 2 });
    });

    it("soft-deletes, undeletes and destroys versions", async () => {
      const { store, prefix } = target();
      const path = `${prefix}/lifecycle/db`;
      await store.put(path, { v: 1 });
      await store.put(path, { v: 2 });

      await store.delete(path);
      expect(await codeOf(store.get(path))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
      expect((await store.get(path, { version: 1 })).value).toEqual({ v: 1 });

      await store.undelete(path, { versions: [2] });
      expect((await store.get(path)).value).toEqual({ v: 2 });

      await store.destroy(path, { versions: [1] });
      expect(await codeOf(store.get(path, { version: 1 }))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
      const meta = await store.metadata(path);
      expect(meta.currentVersion).toBe(2);
      expect(meta.versions.find((v) => v.version === 1)?.destroyed).toBe(true);
      expect(meta.versions.find((v) => v.version === 2)?.destroyed).toBe(false);
    });

    it("lists one level, nodes ending in a slash", async () => {
      const { store, prefix } = target();
      await store.put(`${prefix}/tree/a/x`, { v: 1 });
      await store.put(`${prefix}/tree/a/y/z`, { v: 1 });
      await store.put(`${prefix}/tree/b`, { v: 1 });
      await store.put(`${prefix}/tree-other/c`, { v: 1 });

      expect(await store.list(`${prefix}/tree`)).toEqual(["a/", "b"]);
      expect(await store.list(`${prefix}/tree/a/`)).toEqual(["x", "y/"]);
      expect(await store.list(`${prefix}/tree/nothing`)).toEqual([]);
    });

    it("reads several secrets in the order asked", async () => {
      const { store, prefix } = target();
      await store.put(`${prefix}/many/a`, { n: "a" });
      await store.put(`${prefix}/many/b`, { n: "b" });
      const records = await store.getMany([`${prefix}/many/b`, `${prefix}/many/a`]);
      expect(records.map((r) => r.value)).toEqual([{ n: "b" }, { n: "a" }]);
    });

    it("fails a missing secret with NOT_FOUND", async () => {
      const { store, prefix } = target();
      expect(await codeOf(store.get(`${prefix}/missing`))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
      expect(await codeOf(store.metadata(`${prefix}/missing`))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
    });

    it("refuses non-canonical paths before touching the backend", async () => {
      const { store, prefix } = target();
      for (const bad of [`${prefix}/../x`, `${prefix}/%2e%2e/x`, `${prefix}//x`, `${prefix}/x/`]) {
        expect(await codeOf(store.get(bad))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
        expect(await codeOf(store.put(bad, { v: 1 }))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
      }
      expect(await codeOf(store.list(`${prefix}/a//`))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
    });

    it("rejects a call whose signal is aborted", async () => {
      const { store, prefix } = target();
      const signal = AbortSignal.abort(new Error("stop"));
      expect(await codeOf(store.get(`${prefix}/app/db`, { signal }))).toBe(
        "ERR_PULSE_VAULT_ABORTED",
      );
      expect(await codeOf(store.put(`${prefix}/app/db`, { v: 1 }, { signal }))).toBe(
        "ERR_PULSE_VAULT_ABORTED",
      );
    });
  });
}
