import { PulseError } from "@pulse/core";

/**
 * Error codes raised by `@pulse/vault`. Compare `error.code`, not `instanceof`. A denial by the
 * guard is core's `ERR_PULSE_DENIED` (a `PulseDeniedError`), never one of these.
 *
 * @example
 * ```ts
 * const retryable = (code: VaultErrorCode) => code === "ERR_PULSE_VAULT_TIMEOUT";
 * ```
 */
export type VaultErrorCode =
  | "ERR_PULSE_VAULT_INVALID_PATH"
  | "ERR_PULSE_VAULT_INVALID_VALUE"
  | "ERR_PULSE_VAULT_INVALID_OPTIONS"
  | "ERR_PULSE_VAULT_INVALID_KEY"
  | "ERR_PULSE_VAULT_WRONG_KEY"
  | "ERR_PULSE_VAULT_TAMPERED"
  | "ERR_PULSE_VAULT_NOT_FOUND"
  | "ERR_PULSE_VAULT_CAS_MISMATCH"
  | "ERR_PULSE_VAULT_UNSUPPORTED"
  | "ERR_PULSE_VAULT_BACKEND"
  | "ERR_PULSE_VAULT_TIMEOUT"
  | "ERR_PULSE_VAULT_ABORTED";

/**
 * Base class of every error `@pulse/vault` throws. Messages never hold secret values, tokens or
 * key material.
 *
 * @example
 * ```ts
 * try {
 *   await store.get("app/billing/db");
 * } catch (error) {
 *   if ((error as { code?: string }).code === "ERR_PULSE_VAULT_NOT_FOUND") return undefined;
 *   throw error;
 * }
 * ```
 */
export class PulseVaultError extends PulseError {
  declare readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "PulseVaultError";
  }
}

/**
 * The secret (or the version asked for) does not exist, was soft-deleted or destroyed.
 *
 * @example
 * ```ts
 * if (error.code === "ERR_PULSE_VAULT_NOT_FOUND" && error.state === "deleted") undelete();
 * ```
 */
export class SecretNotFoundError extends PulseVaultError {
  /** `missing`, or `deleted` / `destroyed` when the version exists in a state that hides it. */
  readonly state: "missing" | "deleted" | "destroyed";

  constructor(path: string, state: SecretNotFoundError["state"] = "missing", version?: unknown) {
    const which = version === undefined ? "" : ` version ${String(version)}`;
    const how = state === "missing" ? "not found" : state;
    super("ERR_PULSE_VAULT_NOT_FOUND", `secret ${JSON.stringify(path)}${which} ${how}`);
    this.name = "SecretNotFoundError";
    this.state = state;
  }
}

/**
 * A check-and-set write found another current version than the one it named.
 *
 * @example
 * ```ts
 * await store.put("app/db", value, { cas: 3 }); // throws when version 3 is no longer current
 * ```
 */
export class SecretConflictError extends PulseVaultError {
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super("ERR_PULSE_VAULT_CAS_MISMATCH", `secret ${JSON.stringify(path)}: ${detail}`, options);
    this.name = "SecretConflictError";
  }
}

/**
 * The backend answered with an error. `status` is the HTTP status (or absent), `backendErrors`
 * the backend's own messages (Vault's `errors` array, the AWS exception name and message).
 *
 * @example
 * ```ts
 * if (error.code === "ERR_PULSE_VAULT_BACKEND") log(error.status, error.backendErrors);
 * ```
 */
export class SecretBackendError extends PulseVaultError {
  readonly status?: number;
  readonly backendErrors: readonly string[];

  constructor(
    message: string,
    details: { status?: number; backendErrors?: readonly string[]; cause?: unknown },
  ) {
    super("ERR_PULSE_VAULT_BACKEND", message, { cause: details.cause });
    this.name = "SecretBackendError";
    if (details.status !== undefined) this.status = details.status;
    this.backendErrors = details.backendErrors ?? [];
  }
}
