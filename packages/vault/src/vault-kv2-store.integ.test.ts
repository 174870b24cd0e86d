// The SecretStore contract against a real HashiCorp Vault or OpenBao server, when one is
// configured: PULSE_VAULT_ADDR, PULSE_VAULT_TOKEN, and optionally PULSE_VAULT_MOUNT (a KV v2
// mount, default `secret`) and PULSE_VAULT_NAMESPACE. Secrets are written under a fresh
// `pulse-test-…` prefix and their metadata deleted afterwards.
import { afterAll, describe, it } from "vitest";
import { secretStoreContract } from "../test/helpers/contract.js";
import { createVaultKv2Store } from "./vault-kv2-store.js";

const address = process.env["PULSE_VAULT_ADDR"];
const token = process.env["PULSE_VAULT_TOKEN"];

if (address && token) {
  const mount = process.env["PULSE_VAULT_MOUNT"] ?? "secret";
  const namespace = process.env["PULSE_VAULT_NAMESPACE"];
  const store = createVaultKv2Store({
    address,
    token,
    mount,
    ...(namespace !== undefined && { namespace }),
  });
  const root = `pulse-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let run = 0;
  secretStoreContract(`Vault KV v2 at ${address}`, () => ({ store, prefix: `${root}/${++run}` }));

  afterAll(async () => {
    const headers: Record<string, string> = { "X-Vault-Token": token };
    if (namespace !== undefined) headers["X-Vault-Namespace"] = namespace;
    const base = `${address.replace(/\/+$/, "")}/v1/${mount}/metadata`;
    async function remove(prefix: string): Promise<void> {
      for (const name of await store.list(prefix)) {
        if (name.endsWith("/")) await remove(`${prefix}/${name.slice(0, -1)}`);
        else await fetch(`${base}/${prefix}/${name}`, { method: "DELETE", headers });
      }
    }
    await remove(root);
  });
} else {
  describe.skip("Vault KV v2, real server (PULSE_VAULT_ADDR, PULSE_VAULT_TOKEN)", () => {
    it("runs the SecretStore contract", () => undefined);
  });
}
