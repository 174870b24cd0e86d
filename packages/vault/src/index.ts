/**
 * `@pulse/vault`: read and write secrets through one `SecretStore` interface, and check the
 * PULSE capability token before every call with {@link guardSecrets}.
 *
 * Backends: an encrypted file store ({@link createFileSecretStore}) and HashiCorp Vault /
 * OpenBao KV v2 ({@link createVaultKv2Store}) here; AWS Secrets Manager in the entry
 * `@pulse/vault/aws-secrets-manager`, so that this one never loads the AWS SDK.
 *
 * @packageDocumentation
 */
export type { VaultErrorCode } from "./errors.js";
export {
  PulseVaultError,
  SecretBackendError,
  SecretConflictError,
  SecretNotFoundError,
} from "./errors.js";
export type { FileSecretStoreOptions } from "./file-store.js";
export { createFileSecretStore } from "./file-store.js";
export type { GuardSecretsOptions } from "./guard.js";
export { guardSecrets } from "./guard.js";
export type { VaultKv2StoreOptions } from "./vault-kv2-store.js";
export { createVaultKv2Store } from "./vault-kv2-store.js";
export type {
  CallOptions,
  DeleteOptions,
  GetOptions,
  JsonObject,
  JsonValue,
  PutOptions,
  SecretLocation,
  SecretMetadata,
  SecretRecord,
  SecretStore,
  SecretValue,
  SecretVersion,
  SecretVersionInfo,
  SecretWriteResult,
  VersionsOptions,
} from "./secret-store.js";
