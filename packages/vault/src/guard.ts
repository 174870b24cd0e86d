import { parseResource } from "@pulse/core";
import type { GuardOptions } from "@pulse/core/scope";
import { PulseVaultError } from "./errors.js";
import { GuardedSecretStore } from "./internal/guarded-store.js";
import type { SecretStore } from "./secret-store.js";

/**
 * Options for {@link guardSecrets}: the options every PULSE adapter shares (verifier, mode,
 * token, context) plus the mount.
 *
 * @example
 * ```ts
 * const options: GuardSecretsOptions = { verifier, mount: "secret", mode: "shadow" };
 * ```
 */
export interface GuardSecretsOptions extends GuardOptions {
  /**
   * The resource instance the store's secrets live under: a grant on
   * `vault://<mount>/app/billing/*` covers the secret `app/billing/db` of this store. Letters,
   * digits, `_`, `.` and `-`.
   */
  readonly mount: string;
}

/**
 * Wraps a {@link SecretStore} so that every call is checked against the capability token
 * before it reaches the backend.
 *
 * Each call is one decision through `authorize()` from `@pulse/core/scope`, so the token comes
 * from the request scope (`runWithToken`) or `options.token`, the mode (`enforce`, `shadow`,
 * `off`) and the audit sink are the verifier's, and a refusal is a `PulseDeniedError`
 * (`ERR_PULSE_DENIED`) carrying the reason code. Nothing is sent to the backend when a call is
 * refused.
 *
 * | call | action | resource |
 * | --- | --- | --- |
 * | `get`, `getMany` | `read` | `vault://mount/path` (every path of a batch) |
 * | `put` | `write` | `vault://mount/path` |
 * | `delete`, `undelete`, `destroy` | `delete` | `vault://mount/path` |
 * | `metadata` | `list` | `vault://mount/path` |
 * | `list` | `list` | prefix `vault://mount/path/` |
 *
 * A path that is not canonical (`.`/`..` segments raw or percent-encoded, empty segments,
 * control characters) is denied as `malformed`.
 *
 * > **Warning**
 * > The guard protects the call, not the value: a secret already read and held by the
 * > application stays readable to that process after its token expires or is revoked.
 *
 * @param store - The backend (file store, Vault KV v2, AWS Secrets Manager, or your own).
 * @param options - Verifier, mount, and optionally mode, token and context.
 * @returns A store with the same interface.
 * @throws {@link PulseVaultError} `ERR_PULSE_VAULT_INVALID_OPTIONS` for a bad mount or verifier.
 *
 * @example
 * ```ts
 * const secrets = guardSecrets(createFileSecretStore({ directory: "./secrets" }), {
 *   verifier, // createVerifier({ audience: "vault", … })
 *   mount: "secret",
 * });
 * const db = await runWithToken(token, () => secrets.get("app/billing/db"));
 * ```
 */
export function guardSecrets(store: SecretStore, options: GuardSecretsOptions): SecretStore {
  if (typeof store?.get !== "function" || typeof store.list !== "function") {
    throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "store is not a SecretStore");
  }

  if (typeof options?.verifier?.check !== "function") {
    throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "verifier is required");
  }

  if (!isMountName(options.mount)) {
    const message = `mount ${JSON.stringify(options.mount)} is not a valid resource instance`;
    throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", message);
  }
  return new GuardedSecretStore(store, options);
}

// The verifier's own parser decides, and the whole mount must come back as the instance (a
// mount with a `/` would otherwise move part of itself into the path).
function isMountName(mount: unknown): boolean {
  if (typeof mount !== "string") return false;
  try {
    return parseResource(`vault://${mount}/probe`).instance === mount;
  } catch {
    return false;
  }
}
