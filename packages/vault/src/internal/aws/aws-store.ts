import type { SecretsManagerClient, SecretValueEntry } from "@aws-sdk/client-secrets-manager";
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { PulseVaultError, SecretBackendError } from "../../errors.js";
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
} from "../../secret-store.js";
import { throwIfAborted } from "../abort.js";
import { listingPrefix, oneLevel, secretPath } from "../path.js";
import { casValue, secretValue } from "../value.js";
import { foreignMount, isArn, parseSecretArn } from "./arn.js";
import { awsError, unsupported } from "./aws-errors.js";
import { batchEntries } from "./batch.js";

/** Which account and region a store's own secrets live in. */
export interface AwsHome {
  readonly accountId?: string;
  readonly region?: string;
  readonly partition: string;
  readonly recoveryWindowInDays: number;
}

type SendOptions = { abortSignal?: AbortSignal };

// The characters Secrets Manager accepts in a `name` filter value.
const FILTER_VALUE = /^[a-zA-Z0-9 :_@/+=.-]{1,512}$/;

/** AWS Secrets Manager. Build it with `createAwsSecretsManagerStore`. */
export class AwsSecretsManagerStore implements SecretStore {
  readonly kind = "aws-secrets-manager";
  readonly #client: SecretsManagerClient;
  readonly #home: AwsHome;

  constructor(client: SecretsManagerClient, home: AwsHome) {
    this.#client = client;
    this.#home = home;
  }

  /** Names stay as they are; an ARN resolves to its name, under another mount if foreign. */
  async locate(id: string): Promise<SecretLocation> {
    if (!isArn(secretId(id))) return { path: id };

    const arn = parseSecretArn(id);
    const region = this.#home.region ?? (await this.#client.config.region());
    const home =
      arn.account === this.#home.accountId &&
      arn.region === region &&
      arn.partition === this.#home.partition;
    return home ? { path: arn.name } : { mount: foreignMount(arn), path: arn.name };
  }

  async get(path: string, options: GetOptions = {}): Promise<SecretRecord> {
    const version = options.version;
    if (version !== undefined && (typeof version !== "string" || version === "")) {
      throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "AWS versions are version ids");
    }
    const SecretId = secretId(path);
    const expected = await this.#expectedName(SecretId);
    const input = { SecretId, ...(version !== undefined && { VersionId: version }) };
    const out = await this.#run(path, options, (h) =>
      this.#client.send(new GetSecretValueCommand(input), h),
    );

    if (out.Name !== undefined && out.Name !== expected) throw resolvedElsewhere(path);
    return record(path, out);
  }

  async getMany(paths: readonly string[], options: CallOptions = {}) {
    if (!Array.isArray(paths)) throw invalidOptions("paths must be a list");
    const ids = paths.map((path) => secretId(path));
    const records: SecretRecord[] = [];
    for (let start = 0; start < ids.length; start += 20) {
      const chunk = ids.slice(start, start + 20);
      const command = new BatchGetSecretValueCommand({ SecretIdList: chunk });
      const out = await this.#run(chunk.join(", "), options, (h) => this.#client.send(command, h));
      for (const [id, entry] of batchEntries(chunk, out)) records.push(record(id, entry));
    }
    return records;
  }

  async put(
    path: string,
    value: SecretValue,
    options: PutOptions = {},
  ): Promise<SecretWriteResult> {
    const SecretId = secretId(path);
    const checked = secretValue(value);
    const SecretString = typeof checked === "string" ? checked : JSON.stringify(checked);
    const cas = casValue(options.cas);
    if (cas !== undefined && cas > 0) throw unsupported("check-and-set on a version number");

    if (cas === 0) return this.#create(path, SecretId, SecretString, options);
    try {
      const command = new PutSecretValueCommand({ SecretId, SecretString });
      const out = await this.#run(path, options, (h) => this.#client.send(command, h));
      return { path, version: out.VersionId ?? "" };
    } catch (error) {
      const missing = (error as PulseVaultError).code === "ERR_PULSE_VAULT_NOT_FOUND";
      if (!missing || isArn(SecretId)) throw error;
      return this.#create(path, SecretId, SecretString, options);
    }
  }

  async delete(path: string, options: DeleteOptions = {}): Promise<void> {
    if (options.versions !== undefined) throw unsupported("deleting single versions");
    const input = {
      SecretId: secretId(path),
      RecoveryWindowInDays: this.#home.recoveryWindowInDays,
    };
    await this.#run(path, options, (h) => this.#client.send(new DeleteSecretCommand(input), h));
  }

  async undelete(path: string, options: VersionsOptions = { versions: [] }): Promise<void> {
    await this.#run(path, options, (h) =>
      this.#client.send(new RestoreSecretCommand({ SecretId: secretId(path) }), h),
    );
  }

  async destroy(): Promise<void> {
    throw unsupported(
      "destroying versions (DeleteSecret without recovery removes the whole secret)",
    );
  }

  async list(path: string, options: CallOptions = {}): Promise<readonly string[]> {
    const prefix = listingPrefix(path);
    const filter = FILTER_VALUE.test(prefix)
      ? { Filters: [{ Key: "name" as const, Values: [prefix] }] }
      : {};
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const input = { ...filter, MaxResults: 100, ...(NextToken !== undefined && { NextToken }) };
      const out = await this.#run(path, options, (h) =>
        this.#client.send(new ListSecretsCommand(input), h),
      );
      for (const entry of out.SecretList ?? []) if (entry.Name) names.push(entry.Name);
      NextToken = out.NextToken;
    } while (NextToken !== undefined);
    return oneLevel(prefix, names);
  }

  async metadata(path: string, options: CallOptions = {}): Promise<SecretMetadata> {
    const command = new DescribeSecretCommand({ SecretId: secretId(path) });
    const out = await this.#run(path, options, (h) => this.#client.send(command, h));
    const deleted = out.DeletedDate?.toISOString();
    const stages = Object.entries(out.VersionIdsToStages ?? {});
    const current = stages.find(([, s]) => s.includes("AWSCURRENT"))?.[0] ?? "";
    return {
      path,
      currentVersion: current,
      ...(out.CreatedDate && { createdTime: out.CreatedDate.toISOString() }),
      ...(out.LastChangedDate && { updatedTime: out.LastChangedDate.toISOString() }),
      versions: stages.map(([version]) => ({
        version,
        ...(deleted !== undefined && { deletionTime: deleted }),
        destroyed: false,
      })),
    };
  }

  async #create(path: string, Name: string, SecretString: string, options: CallOptions) {
    if (isArn(Name)) throw invalidOptions("a new secret is created by name, not by ARN");
    const out = await this.#run(path, options, (h) =>
      this.#client.send(new CreateSecretCommand({ Name, SecretString }), h),
    );
    return { path, version: out.VersionId ?? "" };
  }

  async #expectedName(id: string): Promise<string> {
    return isArn(id) ? parseSecretArn(id).name : id;
  }

  // Every SDK call goes through here: the caller's signal is passed on, errors are mapped.
  async #run<T>(path: string, options: CallOptions, call: (http: SendOptions) => Promise<T>) {
    throwIfAborted(options.signal);
    try {
      return await call(options.signal ? { abortSignal: options.signal } : {});
    } catch (error) {
      throw awsError(error, path, options.signal);
    }
  }
}

function secretId(path: string): string {
  if (typeof path !== "string") return secretPath(path);
  return isArn(path) ? (parseSecretArn(path), path) : secretPath(path);
}

function record(path: string, out: SecretValueEntry): SecretRecord {
  if (out.SecretString === undefined) throw unsupported("binary secrets (SecretBinary)");
  return {
    path,
    version: out.VersionId ?? "",
    value: out.SecretString,
    createdTime: out.CreatedDate?.toISOString() ?? "",
  };
}

function resolvedElsewhere(path: string): SecretBackendError {
  const message = `secret ${JSON.stringify(path)} resolved to another secret than the one checked`;
  return new SecretBackendError(message, {});
}

function invalidOptions(message: string): PulseVaultError {
  return new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", message);
}
