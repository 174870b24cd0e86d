import { PulseVaultError } from "./errors.js";
import { nodeIo } from "./internal/file/atomic.js";
import { FileSecretStore } from "./internal/file/file-store.js";
import { loadKey } from "./internal/file/key.js";
import type { SecretStore } from "./secret-store.js";

/**
 * Options for {@link createFileSecretStore}.
 *
 * @example
 * ```ts
 * const options: FileSecretStoreOptions = { directory: "./secrets", keyFile: "./secrets.key" };
 * ```
 */
export interface FileSecretStoreOptions {
  /** The directory that holds the store; created if missing. */
  readonly directory: string;
  /** The 32-byte key itself. Takes precedence over `keyFile` and `keyEnv`. */
  readonly key?: Uint8Array;
  /**
   * A file holding the key: 32 raw bytes, or 64 hex / 44 base64 characters. Takes precedence
   * over `keyEnv`.
   */
  readonly keyFile?: string;
  /**
   * The environment variable holding the key as 64 hex or 44 base64 characters.
   * Default `PULSE_VAULT_KEY`.
   */
  readonly keyEnv?: string;
  /** Clock for version times. Default: the system clock. */
  readonly now?: () => Date;
}

/**
 * The embedded secret store: one directory, every version and every secret's metadata in its
 * own file encrypted with AES-256-GCM.
 *
 * - A fresh random 96-bit nonce per write; the associated data binds each blob to its path,
 *   its version and its kind, so files cannot be swapped between secrets or versions.
 * - Writes are atomic (temporary file, fsync, rename, fsync of the directory) and versions are
 *   kept: a crash during a write leaves the previous version current and readable.
 * - A wrong key is `ERR_PULSE_VAULT_WRONG_KEY`; an edited, truncated or moved file is
 *   `ERR_PULSE_VAULT_TAMPERED`. Neither ever returns garbage.
 * - The key is checked on first use: missing or not 32 bytes is `ERR_PULSE_VAULT_INVALID_KEY`.
 *
 * > **Warning**
 * > Secret paths are visible in the directory (base64url names); values and version states
 * > are not. One process should write a store at a time: writes are serialised per secret
 * > inside a process only.
 *
 * @example
 * ```ts
 * // PULSE_VAULT_KEY=$(openssl rand -base64 32)
 * const store = createFileSecretStore({ directory: "/var/lib/app/secrets" });
 * await store.put("app/billing/db", { user: "billing", password: "…" });
 * ```
 */
export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  if (typeof options?.directory !== "string" || options.directory === "") {
    throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "directory is required");
  }

  const key = loadKey(options);
  return new FileSecretStore(options.directory, key, nodeIo, options.now ?? (() => new Date()));
}
