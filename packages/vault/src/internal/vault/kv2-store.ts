import {
  PulseVaultError,
  SecretBackendError,
  SecretConflictError,
  SecretNotFoundError,
} from "../../errors.js";
import type {
  CallOptions,
  DeleteOptions,
  GetOptions,
  JsonObject,
  PutOptions,
  SecretMetadata,
  SecretRecord,
  SecretStore,
  SecretValue,
  SecretVersionInfo,
  SecretWriteResult,
  VersionsOptions,
} from "../../secret-store.js";
import { throwIfAborted } from "../abort.js";
import { listingPrefix, secretPath } from "../path.js";
import { casValue, objectValue, versionNumber, versionNumbers } from "../value.js";
import type { VaultCall, VaultHttpConfig, VaultResponse } from "./http.js";
import { vaultErrors, vaultRequest } from "./http.js";

interface VersionMetadata {
  readonly version?: number;
  readonly created_time?: string;
  readonly deletion_time?: string;
  readonly destroyed?: boolean;
}

interface ReadBody {
  readonly data?: { readonly data?: JsonObject | null; readonly metadata?: VersionMetadata };
}

interface MetadataBody {
  readonly data?: {
    readonly current_version?: number;
    readonly created_time?: string;
    readonly updated_time?: string;
    readonly versions?: Record<string, Omit<VersionMetadata, "version">>;
  };
}

const encode = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** HashiCorp Vault / OpenBao KV v2. Build it with `createVaultKv2Store`. */
export class VaultKv2Store implements SecretStore {
  readonly kind = "vault-kv2";
  readonly #config: VaultHttpConfig;
  readonly #mount: string;

  constructor(config: VaultHttpConfig, mount: string) {
    this.#config = config;
    this.#mount = encode(mount.replace(/^\/+|\/+$/g, ""));
  }

  async get(path: string, options: GetOptions = {}): Promise<SecretRecord> {
    const version = options.version === undefined ? undefined : versionNumber(options.version);
    const query = version === undefined ? "" : `?version=${version}`;
    const response = await this.#call("GET", "data", secretPath(path), options, true, query);

    const body = response.body as ReadBody | undefined;
    const metadata = body?.data?.metadata;
    if (response.status === 404) throw notFound(path, metadata, version);
    this.#expect(response, 200, "read", path);

    const data = body?.data?.data;
    if (data === null || data === undefined) throw notFound(path, metadata, version);
    return {
      path,
      version: metadata?.version ?? version ?? 0,
      value: data,
      createdTime: metadata?.created_time ?? "",
    };
  }

  async getMany(paths: readonly string[], options: CallOptions = {}) {
    if (!Array.isArray(paths)) {
      throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "paths must be a list");
    }
    const records: SecretRecord[] = [];
    for (const path of paths) records.push(await this.get(path, options));
    return records;
  }

  async put(
    path: string,
    value: SecretValue,
    options: PutOptions = {},
  ): Promise<SecretWriteResult> {
    const data = objectValue(value, "Vault KV v2");
    const cas = casValue(options.cas);
    const body = { data, ...(cas !== undefined && { options: { cas } }) };
    // A new version is not idempotent: never sent twice.
    const response = await this.#call("POST", "data", secretPath(path), options, false, "", body);

    if (
      response.status === 400 &&
      vaultErrors(response.body).some((e) => /check-and-set/.test(e))
    ) {
      throw new SecretConflictError(path, vaultErrors(response.body).join("; "));
    }
    this.#expect(response, 200, "write", path);
    const written = (response.body as { data?: VersionMetadata } | undefined)?.data;
    return { path, version: written?.version ?? 0, createdTime: written?.created_time ?? "" };
  }

  async delete(path: string, options: DeleteOptions = {}): Promise<void> {
    const versions = versionNumbers(options.versions, false);
    const checked = secretPath(path);
    const response =
      versions === undefined
        ? await this.#call("DELETE", "data", checked, options, true)
        : await this.#call("POST", "delete", checked, options, true, "", { versions });
    this.#expect(response, 204, "delete", path);
  }

  async undelete(path: string, options: VersionsOptions): Promise<void> {
    const versions = versionNumbers(options?.versions, true);
    const response = await this.#call("POST", "undelete", secretPath(path), options, true, "", {
      versions,
    });
    this.#expect(response, 204, "undelete", path);
  }

  async destroy(path: string, options: VersionsOptions): Promise<void> {
    const versions = versionNumbers(options?.versions, true);
    const response = await this.#call("PUT", "destroy", secretPath(path), options, true, "", {
      versions,
    });
    this.#expect(response, 204, "destroy", path);
  }

  async list(path: string, options: CallOptions = {}): Promise<readonly string[]> {
    const prefix = listingPrefix(path);
    const response = await this.#call("GET", "metadata", prefix, options, true, "?list=true");
    if (response.status === 404) return [];
    this.#expect(response, 200, "list", path);

    const keys = (response.body as { data?: { keys?: unknown } } | undefined)?.data?.keys;
    if (!Array.isArray(keys)) throw unexpected(response, "list", path);
    return keys.map(String).sort();
  }

  async metadata(path: string, options: CallOptions = {}): Promise<SecretMetadata> {
    const response = await this.#call("GET", "metadata", secretPath(path), options, true);
    if (response.status === 404) throw new SecretNotFoundError(path);
    this.#expect(response, 200, "read metadata of", path);

    const data = (response.body as MetadataBody | undefined)?.data ?? {};
    const versions: SecretVersionInfo[] = Object.entries(data.versions ?? {})
      .map(([version, state]) => ({
        version: Number(version),
        ...(state.created_time && { createdTime: state.created_time }),
        ...(state.deletion_time && { deletionTime: state.deletion_time }),
        destroyed: state.destroyed === true,
      }))
      .sort((a, b) => a.version - b.version);
    return {
      path,
      currentVersion: data.current_version ?? 0,
      ...(data.created_time && { createdTime: data.created_time }),
      ...(data.updated_time && { updatedTime: data.updated_time }),
      versions,
    };
  }

  async #call(
    method: VaultCall["method"],
    endpoint: "data" | "metadata" | "delete" | "undelete" | "destroy",
    path: string,
    options: CallOptions,
    idempotent: boolean,
    query = "",
    body?: unknown,
  ): Promise<VaultResponse> {
    throwIfAborted(options.signal);
    const apiPath = `${this.#mount}/${endpoint}/${encode(path)}${query}`;
    return vaultRequest(this.#config, {
      method,
      path: apiPath,
      body,
      signal: options.signal,
      idempotent,
    });
  }

  #expect(response: VaultResponse, status: number, what: string, path: string): void {
    const ok = response.status === status || (status === 204 && response.status === 200);
    if (!ok) throw unexpected(response, what, path);
  }
}

function unexpected(response: VaultResponse, what: string, path: string): SecretBackendError {
  const errors = vaultErrors(response.body);
  const detail = errors.length > 0 ? `: ${errors.join("; ")}` : "";
  const status = `HTTP ${response.status}`;
  const message = `vault could not ${what} ${JSON.stringify(path)} (${status})${detail}`;
  return new SecretBackendError(message, { status: response.status, backendErrors: errors });
}

function notFound(path: string, metadata: VersionMetadata | undefined, version?: number) {
  if (metadata?.destroyed === true) return new SecretNotFoundError(path, "destroyed", version);
  if (metadata?.deletion_time) return new SecretNotFoundError(path, "deleted", version);
  return new SecretNotFoundError(path, "missing", version);
}
