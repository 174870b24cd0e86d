import type { AccessRequest, Action } from "@pulse/core";
import { assertAllowed } from "@pulse/core";
import type { GuardOptions } from "@pulse/core/scope";
import { authorize } from "@pulse/core/scope";
import type {
  CallOptions,
  DeleteOptions,
  GetOptions,
  PutOptions,
  SecretLocation,
  SecretMetadata,
  SecretRecord,
  SecretStore,
  SecretValue,
  SecretWriteResult,
  VersionsOptions,
} from "../secret-store.js";
import { throwIfAborted } from "./abort.js";
import type { GuardPlan } from "./guard-requests.js";
import { listingRequest, secretResource } from "./guard-requests.js";

/** Options of the guard: core's shared adapter options plus the mount the resources live on. */
export interface GuardedStoreOptions extends GuardOptions {
  readonly mount: string;
}

/** A `SecretStore` that asks the verifier before every call reaches the inner store. */
export class GuardedSecretStore implements SecretStore {
  readonly kind: string;
  readonly #inner: SecretStore;
  readonly #options: GuardedStoreOptions;

  constructor(inner: SecretStore, options: GuardedStoreOptions) {
    this.kind = `guarded:${inner.kind}`;
    this.#inner = inner;
    this.#options = options;
  }

  async get(path: string, options?: GetOptions): Promise<SecretRecord> {
    await this.#check("get", await this.#one(path, "read"), options);
    return this.#inner.get(path, options);
  }

  async getMany(paths: readonly string[], options?: CallOptions): Promise<readonly SecretRecord[]> {
    // The caller may change its array while the check is awaited: check and read one copy.
    const batch: unknown = Array.isArray(paths) ? [...paths] : paths;
    await this.#check("getMany", await this.#many(batch), options);
    return this.#inner.getMany(batch as readonly string[], options);
  }

  async put(path: string, value: SecretValue, options?: PutOptions): Promise<SecretWriteResult> {
    await this.#check("put", await this.#one(path, "write"), options);
    return this.#inner.put(path, value, options);
  }

  async delete(path: string, options?: DeleteOptions): Promise<void> {
    await this.#check("delete", await this.#one(path, "delete"), options);
    return this.#inner.delete(path, options);
  }

  async undelete(path: string, options: VersionsOptions): Promise<void> {
    await this.#check("undelete", await this.#one(path, "delete"), options);
    return this.#inner.undelete(path, options);
  }

  async destroy(path: string, options: VersionsOptions): Promise<void> {
    await this.#check("destroy", await this.#one(path, "delete"), options);
    return this.#inner.destroy(path, options);
  }

  async list(path: string, options?: CallOptions): Promise<readonly string[]> {
    await this.#check("list", listingRequest(this.#options.mount, path), options);
    return this.#inner.list(path, options);
  }

  async metadata(path: string, options?: CallOptions): Promise<SecretMetadata> {
    await this.#check("metadata", await this.#one(path, "list"), options);
    return this.#inner.metadata(path, options);
  }

  async locate(path: string): Promise<SecretLocation> {
    return this.#inner.locate ? this.#inner.locate(path) : { path };
  }

  async #one(path: unknown, action: Action): Promise<GuardPlan> {
    if (typeof path !== "string") return { malformed: "secret path is not a string" };

    let location: SecretLocation | string = path;
    if (this.#inner.locate !== undefined) {
      try {
        location = await this.#inner.locate(path);
      } catch (error) {
        return { malformed: `cannot resolve secret name: ${(error as Error)?.message ?? error}` };
      }
    }
    return { requests: [{ resource: secretResource(this.#options.mount, location), action }] };
  }

  // Every secret of a batch is checked, in one decision: one uncovered path denies the batch.
  async #many(paths: unknown): Promise<GuardPlan> {
    if (!Array.isArray(paths)) return { malformed: "paths is not an array" };
    if (paths.length === 0) return { malformed: "an empty batch names no secret" };

    const requests: AccessRequest[] = [];
    for (const path of paths) {
      const plan = await this.#one(path, "read");
      if ("malformed" in plan) return plan;
      requests.push(...plan.requests);
    }
    return { requests };
  }

  async #check(operation: string, plan: GuardPlan, options: CallOptions | undefined) {
    throwIfAborted(options?.signal);
    const label = `secrets.${operation}`;

    if ("requests" in plan) await authorize(this.#options, plan.requests, label);
    else this.#refuse(label, plan.malformed);

    throwIfAborted(options?.signal);
  }

  // A call the guard cannot even express as requests is audited and enforced as a `malformed`
  // denial. In shadow mode it goes on, and the backend's own checks refuse it.
  #refuse(operation: string, detail: string): void {
    const mode = this.#options.mode ?? this.#options.verifier.mode;
    if (mode === "off") return;
    assertAllowed(this.#options.verifier.refuse("malformed", detail, { mode, operation }));
  }
}
