import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VaultFixture } from "../test/fixtures/vault-kv2-fixture.js";
import { startVaultFixture } from "../test/fixtures/vault-kv2-fixture.js";
import { secretStoreContract } from "../test/helpers/contract.js";
import { codeOf, reasonOf, tokenKit } from "../test/helpers/tokens.js";
import type { SecretBackendError } from "./errors.js";
import { guardSecrets } from "./guard.js";
import { runWithToken } from "@pulse/core/scope";
import type { SecretStore } from "./secret-store.js";
import type { VaultKv2StoreOptions } from "./vault-kv2-store.js";
import { createVaultKv2Store } from "./vault-kv2-store.js";

let fixture: VaultFixture;
let store: SecretStore;

function storeWith(extra: Partial<VaultKv2StoreOptions> = {}): SecretStore {
  return createVaultKv2Store({
    address: fixture.address,
    token: fixture.token,
    retryDelayMs: 1,
    ...extra,
  });
}

beforeAll(async () => {
  fixture = await startVaultFixture();
  store = storeWith();
});

afterAll(async () => {
  await fixture.close();
});

let run = 0;
secretStoreContract("Vault KV v2 protocol fixture", () => ({ store, prefix: `t${++run}` }));

describe("Vault KV v2 over HTTP", () => {
  it("sends the token and namespace headers, and keeps namespaces apart", async () => {
    const teamA = storeWith({ namespace: "team-a" });
    await teamA.put("ns/db", { team: "a" });
    expect(fixture.requests.at(-1)).toMatchObject({ token: fixture.token, namespace: "team-a" });
    expect(await codeOf(store.get("ns/db"))).toBe("ERR_PULSE_VAULT_NOT_FOUND");
    expect((await teamA.get("ns/db")).value).toEqual({ team: "a" });
  });

  it("maps each call to its KV v2 endpoint", async () => {
    const from = fixture.requests.length;
    await store.put("ep/db", { v: 1 });
    await store.get("ep/db", { version: 1 });
    await store.delete("ep/db", { versions: [1] });
    await store.undelete("ep/db", { versions: [1] });
    await store.delete("ep/db");
    await store.destroy("ep/db", { versions: [1] });
    await store.list("ep");
    await store.metadata("ep/db");
    const seen = fixture.requests.slice(from).map((r) => `${r.method} ${r.url}`);
    expect(seen).toEqual([
      "POST /v1/secret/data/ep/db",
      "GET /v1/secret/data/ep/db?version=1",
      "POST /v1/secret/delete/ep/db",
      "POST /v1/secret/undelete/ep/db",
      "DELETE /v1/secret/data/ep/db",
      "PUT /v1/secret/destroy/ep/db",
      "GET /v1/secret/metadata/ep/?list=true",
      "GET /v1/secret/metadata/ep/db",
    ]);
  });

  it("percent-encodes each segment, so a name is never read as a path", async () => {
    await store.put("enc/a b?c#d", { v: 1 });
    expect(fixture.requests.at(-1)?.url).toBe("/v1/secret/data/enc/a%20b%3Fc%23d");
    expect(await store.list("enc")).toEqual(["a b?c#d"]);
  });

  it("surfaces Vault's error messages and status", async () => {
    const wrong = storeWith({ token: "hvs.wrong" });
    const error = (await wrong.get("x").catch((e: unknown) => e)) as SecretBackendError;
    expect(error.code).toBe("ERR_PULSE_VAULT_BACKEND");
    expect(error.status).toBe(403);
    expect(error.backendErrors).toEqual(["permission denied"]);
    expect(error.message).toContain("permission denied");
    expect(error.message).not.toContain("hvs.wrong");
  });

  it("asks a token function on each call, and a failing one is a typed error", async () => {
    let asked = 0;
    const renewing = storeWith({ token: async () => (asked++, fixture.token), retries: 0 });
    await renewing.put("tok/db", { v: 1 });
    await renewing.get("tok/db");
    expect(asked).toBe(2);
    const failing = storeWith({ token: () => Promise.reject(new Error("no token")), retries: 0 });
    expect(await codeOf(failing.get("tok/db"))).toBe("ERR_PULSE_VAULT_BACKEND");
  });

  it("retries a 5xx with backoff, then succeeds", async () => {
    await store.put("retry/db", { v: 1 });
    const from = fixture.requests.length;
    fixture.failNext(2, 503);
    expect((await store.get("retry/db")).value).toEqual({ v: 1 });
    expect(fixture.requests.length - from).toBe(3);
  });

  it("gives up after the configured retries with the last 5xx", async () => {
    const from = fixture.requests.length;
    fixture.failNext(5, 500);
    const error = (await store.get("retry/db").catch((e: unknown) => e)) as SecretBackendError;
    expect(error.code).toBe("ERR_PULSE_VAULT_BACKEND");
    expect(error.status).toBe(500);
    expect(error.backendErrors[0]).toMatch(/active cluster node/);
    expect(fixture.requests.length - from).toBe(3);
    fixture.failNext(0);
  });

  it("write-not-retried: a 5xx on put is not sent again (two versions)", async () => {
    const from = fixture.requests.length;
    fixture.failNext(1, 503);
    expect(await codeOf(store.put("retry/once", { v: 1 }))).toBe("ERR_PULSE_VAULT_BACKEND");
    expect(fixture.requests.length - from).toBe(1);
  });

  it("times out an attempt that gets no answer", async () => {
    const quick = storeWith({ timeoutMs: 50, retries: 0 });
    fixture.delayNext(5_000);
    expect(await codeOf(quick.get("slow/db"))).toBe("ERR_PULSE_VAULT_TIMEOUT");
  });

  it("cancels an in-flight call through its signal", async () => {
    const controller = new AbortController();
    fixture.delayNext(5_000);
    const pending = codeOf(store.get("slow/db", { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toBe("ERR_PULSE_VAULT_ABORTED");
  });

  it("refuses string values (KV v2 stores objects)", async () => {
    expect(await codeOf(store.put("str/db", "plain"))).toBe("ERR_PULSE_VAULT_INVALID_VALUE");
  });

  it("refuses bad options", () => {
    const bad: Array<Partial<VaultKv2StoreOptions>> = [
      { address: "not a url" },
      { address: "ftp://127.0.0.1" },
      { token: "" },
      { timeoutMs: -1 },
    ];
    for (const options of bad) {
      expect(() => storeWith(options)).toThrow(
        expect.objectContaining({ code: "ERR_PULSE_VAULT_INVALID_OPTIONS" }),
      );
    }
  });

  it("guarded: a denied call sends nothing to Vault", async () => {
    const kit = await tokenKit();
    const guarded = guardSecrets(store, { verifier: kit.verifier, mount: "secret" });
    const token = await kit.token([{ res: "vault://secret/app/billing/*", act: ["read"] }]);
    const from = fixture.requests.length;
    const reason = await runWithToken(token, () => reasonOf(guarded.get("app/billing-admin/root")));
    expect(reason).toBe("out-of-scope");
    expect(fixture.requests.length).toBe(from);
  });
});
