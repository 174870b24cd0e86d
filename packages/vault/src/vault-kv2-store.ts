import type { Logger } from "@pulse/core";
import { silentLogger } from "@pulse/core";
import { PulseVaultError } from "./errors.js";
import { VaultKv2Store } from "./internal/vault/kv2-store.js";
import type { SecretStore } from "./secret-store.js";

/**
 * Options for {@link createVaultKv2Store}.
 *
 * @example
 * ```ts
 * const options: VaultKv2StoreOptions = { address: "http://127.0.0.1:8200", token, mount: "kv" };
 * ```
 */
export interface VaultKv2StoreOptions {
  /** The server, e.g. `https://vault.internal:8200`. */
  readonly address: string;
  /**
   * The Vault token, sent as `X-Vault-Token`, or a function that returns the current one (for
   * tokens renewed elsewhere). Never logged nor put in error messages.
   */
  readonly token: string | (() => string | Promise<string>);
  /** Where the KV v2 engine is mounted in Vault. Default `secret`. */
  readonly mount?: string;
  /** Vault Enterprise / OpenBao namespace, sent as `X-Vault-Namespace`. */
  readonly namespace?: string;
  /** Timeout of one HTTP attempt. Default 10 000. */
  readonly timeoutMs?: number;
  /** Extra attempts after a 5xx or a network failure, for calls safe to repeat. Default 2. */
  readonly retries?: number;
  /** First backoff delay, doubled per attempt, with jitter. Default 100. */
  readonly retryDelayMs?: number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Default: silent. */
  readonly logger?: Logger;
}

function invalid(message: string): never {
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", message);
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) invalid(`${name} must be a number >= 0`);
  return value;
}

/**
 * A {@link SecretStore} on HashiCorp Vault or OpenBao KV v2 over HTTP.
 *
 * | call | endpoint |
 * | --- | --- |
 * | `get` | `GET /v1/<mount>/data/<path>?version=` |
 * | `put` | `POST /v1/<mount>/data/<path>` with `options.cas` |
 * | `delete` | `DELETE /v1/<mount>/data/<path>`, or `POST /v1/<mount>/delete/<path>` for versions |
 * | `undelete` | `POST /v1/<mount>/undelete/<path>` |
 * | `destroy` | `PUT /v1/<mount>/destroy/<path>` |
 * | `list` | `GET /v1/<mount>/metadata/<path>/?list=true` |
 * | `metadata` | `GET /v1/<mount>/metadata/<path>` |
 *
 * Values are JSON objects (what KV v2 stores); a string value is refused with
 * `ERR_PULSE_VAULT_INVALID_VALUE`. Vault's error messages are kept on
 * `SecretBackendError.backendErrors`. Calls other than `put` are retried after a 5xx; a `put`
 * is sent once, since a repeated write would create a second version.
 *
 * @example
 * ```ts
 * const store = createVaultKv2Store({
 *   address: "https://vault.internal:8200",
 *   token: process.env.VAULT_TOKEN!,
 *   namespace: "team-a",
 * });
 * const secrets = guardSecrets(store, { verifier, mount: "secret" });
 * ```
 */
export function createVaultKv2Store(options: VaultKv2StoreOptions): SecretStore {
  let address: URL;
  try {
    address = new URL(options?.address);
  } catch {
    return invalid("address must be an http(s) URL");
  }
  if (address.protocol !== "http:" && address.protocol !== "https:") {
    invalid("address must be an http(s) URL");
  }

  const token = options.token;
  if (typeof token !== "function" && (typeof token !== "string" || token === "")) {
    invalid("token is required");
  }

  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== "function") invalid("no fetch available; pass options.fetch");

  const config = {
    address: address.href,
    token: typeof token === "function" ? token : () => token,
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    timeoutMs: count("timeoutMs", options.timeoutMs, 10_000),
    retries: Math.floor(count("retries", options.retries, 2)),
    retryDelayMs: count("retryDelayMs", options.retryDelayMs, 100),
    fetch: fetchFn,
    logger: options.logger ?? silentLogger,
  };
  return new VaultKv2Store(config, options.mount ?? "secret");
}
