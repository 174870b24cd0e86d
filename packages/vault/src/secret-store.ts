/**
 * The `SecretStore` contract every backend and the guard implement.
 *
 * @packageDocumentation
 */

/**
 * A JSON value as stored in a secret.
 *
 * @example
 * ```ts
 * const ports: JsonValue = [5432, 5433];
 * ```
 */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A JSON object (what HashiCorp Vault KV v2 stores per version).
 *
 * @example
 * ```ts
 * const db: JsonObject = { user: "billing", password: "…", port: 5432 };
 * ```
 */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * A secret's value: a string or a JSON object. The file store keeps either; Vault KV v2 keeps
 * objects only; AWS Secrets Manager keeps strings (objects are written as JSON text).
 *
 * @example
 * ```ts
 * const token: SecretValue = "xoxb-…";
 * const db: SecretValue = { user: "billing", password: "…" };
 * ```
 */
export type SecretValue = string | JsonObject;

/**
 * A version: a positive integer (file store, Vault) or a version id (AWS).
 *
 * @example
 * ```ts
 * await store.get("app/db", { version: 3 satisfies SecretVersion });
 * ```
 */
export type SecretVersion = number | string;

/**
 * Options every call takes.
 *
 * @example
 * ```ts
 * await store.list("app", { signal: AbortSignal.timeout(2_000) });
 * ```
 */
export interface CallOptions {
  /** Cancels the call; the promise rejects with `ERR_PULSE_VAULT_ABORTED`. */
  readonly signal?: AbortSignal;
}

/**
 * Options for {@link SecretStore.get}.
 *
 * @example
 * ```ts
 * const previous = await store.get("app/db", { version: 2 });
 * ```
 */
export interface GetOptions extends CallOptions {
  /** A specific version. Default: the current one. */
  readonly version?: SecretVersion;
}

/**
 * Options for {@link SecretStore.put}.
 *
 * @example
 * ```ts
 * await store.put("app/db", { password: "…" }, { cas: 0 }); // create only
 * ```
 */
export interface PutOptions extends CallOptions {
  /**
   * Check-and-set: the write succeeds only if the current version is this one; `0` means the
   * secret must not exist yet. Default: no check.
   */
  readonly cas?: number;
}

/**
 * Options for {@link SecretStore.delete}.
 *
 * @example
 * ```ts
 * await store.delete("app/db", { versions: [1, 2] });
 * ```
 */
export interface DeleteOptions extends CallOptions {
  /** Versions to soft-delete. Default: the current version (the whole secret on AWS). */
  readonly versions?: readonly SecretVersion[];
}

/**
 * Options naming versions, for {@link SecretStore.undelete} and {@link SecretStore.destroy}.
 *
 * @example
 * ```ts
 * await store.destroy("app/db", { versions: [1] });
 * ```
 */
export interface VersionsOptions extends CallOptions {
  readonly versions: readonly SecretVersion[];
}

/**
 * A secret version as read.
 *
 * @example
 * ```ts
 * const { value, version } = await store.get("app/db");
 * ```
 */
export interface SecretRecord {
  readonly path: string;
  readonly version: SecretVersion;
  readonly value: SecretValue;
  /** ISO 8601. */
  readonly createdTime: string;
}

/**
 * What a write produced.
 *
 * @example
 * ```ts
 * const { version } = await store.put("app/db", { password: "…" });
 * ```
 */
export interface SecretWriteResult {
  readonly path: string;
  readonly version: SecretVersion;
  /** ISO 8601, when the backend reports it (AWS does not for writes). */
  readonly createdTime?: string;
}

/**
 * One version in a secret's metadata.
 *
 * @example
 * ```ts
 * const live = (await store.metadata("app/db")).versions.filter((v) => !v.destroyed);
 * ```
 */
export interface SecretVersionInfo {
  readonly version: SecretVersion;
  readonly createdTime?: string;
  /** Set when the version is soft-deleted. */
  readonly deletionTime?: string;
  readonly destroyed: boolean;
}

/**
 * A secret's metadata: its versions and their states, never a value.
 *
 * @example
 * ```ts
 * const { currentVersion } = await store.metadata("app/db");
 * ```
 */
export interface SecretMetadata {
  readonly path: string;
  readonly currentVersion: SecretVersion;
  readonly createdTime?: string;
  readonly updatedTime?: string;
  readonly versions: readonly SecretVersionInfo[];
}

/**
 * Where a caller's name for a secret really points. Backends that accept several names for one
 * secret (AWS ARNs) report it so the guard checks the real resource.
 *
 * @example
 * ```ts
 * // An ARN from another account: checked as vault://aws.210987654321.eu-west-1/app/db
 * const location: SecretLocation = { mount: "aws.210987654321.eu-west-1", path: "app/db" };
 * ```
 */
export interface SecretLocation {
  /** The resource instance; absent means the guard's own mount. */
  readonly mount?: string;
  /** The canonical path below the mount. */
  readonly path: string;
}

/**
 * A secrets backend. Paths are `/`-separated and canonical: no `.`/`..` segments (raw or
 * percent-encoded), no empty segments, no control characters; a bad path is refused with
 * `ERR_PULSE_VAULT_INVALID_PATH` before anything is sent.
 *
 * @example
 * ```ts
 * const store: SecretStore = createFileSecretStore({ directory: "./secrets" });
 * await store.put("app/billing/db", { user: "billing", password: "s3cret" });
 * const { value } = await store.get("app/billing/db");
 * ```
 */
export interface SecretStore {
  /** `file`, `vault-kv2`, `aws-secrets-manager`, or `guarded:<inner>`. */
  readonly kind: string;
  /** Reads the current version, or `options.version`. */
  get(path: string, options?: GetOptions): Promise<SecretRecord>;
  /** Reads several secrets; the result is in the order of `paths`. Fails if any read fails. */
  getMany(paths: readonly string[], options?: CallOptions): Promise<readonly SecretRecord[]>;
  /** Writes a new version. */
  put(path: string, value: SecretValue, options?: PutOptions): Promise<SecretWriteResult>;
  /** Soft-deletes versions (recoverable with {@link SecretStore.undelete}). */
  delete(path: string, options?: DeleteOptions): Promise<void>;
  /** Restores soft-deleted versions. */
  undelete(path: string, options: VersionsOptions): Promise<void>;
  /** Destroys versions for good. */
  destroy(path: string, options: VersionsOptions): Promise<void>;
  /**
   * Lists one level below `path` (`""` is the root). Names of nodes with children end in `/`.
   * A node with no children lists as empty.
   */
  list(path: string, options?: CallOptions): Promise<readonly string[]>;
  /** Reads a secret's metadata. */
  metadata(path: string, options?: CallOptions): Promise<SecretMetadata>;
  /**
   * Where `path` really points, when the backend accepts several names for one secret (an AWS
   * ARN). The guard checks the location instead of the name as written.
   */
  locate?(path: string): SecretLocation | Promise<SecretLocation>;
}
