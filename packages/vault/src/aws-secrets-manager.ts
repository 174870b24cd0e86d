/**
 * `@pulse/vault/aws-secrets-manager`: a {@link SecretStore} on AWS Secrets Manager. A separate
 * entry so that `@pulse/vault` itself never loads the AWS SDK (an optional peer dependency).
 *
 * @packageDocumentation
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PulseVaultError } from "./errors.js";
import { AwsSecretsManagerStore } from "./internal/aws/aws-store.js";
import type { SecretStore } from "./secret-store.js";

/**
 * Options for {@link createAwsSecretsManagerStore}.
 *
 * @example
 * ```ts
 * const options: AwsSecretsManagerStoreOptions = { client, accountId: "123456789012" };
 * ```
 */
export interface AwsSecretsManagerStoreOptions {
  /** The SDK client (region, credentials, endpoint are its own configuration). */
  readonly client: SecretsManagerClient;
  /**
   * The 12-digit account whose secrets this store calls its own. An ARN from this account,
   * region and partition resolves to the guard's mount; any other ARN resolves to the mount
   * `<partition>.<account>.<region>`, so a grant on a name here never covers it. Without it,
   * every ARN is treated as foreign.
   */
  readonly accountId?: string;
  /** The region of this store's own secrets. Default: the client's region. */
  readonly region?: string;
  /** Default `aws`. */
  readonly partition?: string;
  /** Recovery window of `delete` (soft delete), 7 to 30 days. Default 30. */
  readonly recoveryWindowInDays?: number;
}

function invalid(message: string): never {
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", message);
}

/**
 * A {@link SecretStore} on AWS Secrets Manager through `@aws-sdk/client-secrets-manager`.
 *
 * | call | API |
 * | --- | --- |
 * | `get` | `GetSecretValue` (`version` is a `VersionId`) |
 * | `getMany` | `BatchGetSecretValue` by id list, 20 per request |
 * | `put` | `PutSecretValue`, or `CreateSecret` for a new name or `cas: 0` |
 * | `delete` / `undelete` | `DeleteSecret` with a recovery window / `RestoreSecret` |
 * | `list` | `ListSecrets` with a `name` prefix filter, cut to one level |
 * | `metadata` | `DescribeSecret` |
 *
 * Secrets are strings; a JSON object is written as JSON text and read back as text. Paths are
 * secret names or ARNs (complete or partial). Not supported, with
 * `ERR_PULSE_VAULT_UNSUPPORTED`: `destroy`, `cas` above 0, deleting single versions, binary
 * secrets. `undelete` restores the whole secret whatever versions it is given.
 *
 * > **Warning**
 * > Secrets Manager reads an ARN whose name ends in `-` and six letters or digits as a complete
 * > ARN. The guard follows the same rule, and `get` refuses an answer for another name than
 * > the one checked; do not give secrets names that end that way.
 *
 * @example
 * ```ts
 * import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
 * import { createAwsSecretsManagerStore } from "@pulse/vault/aws-secrets-manager";
 *
 * const store = createAwsSecretsManagerStore({
 *   client: new SecretsManagerClient({ region: "eu-west-1" }),
 *   accountId: "123456789012",
 * });
 * const secrets = guardSecrets(store, { verifier, mount: "aws-prod" });
 * ```
 */
export function createAwsSecretsManagerStore(options: AwsSecretsManagerStoreOptions): SecretStore {
  if (typeof options?.client?.send !== "function") invalid("client is required");

  if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) {
    invalid("accountId must be 12 digits");
  }

  const window = options.recoveryWindowInDays ?? 30;
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    invalid("recoveryWindowInDays must be an integer from 7 to 30");
  }

  return new AwsSecretsManagerStore(options.client, {
    ...(options.accountId !== undefined && { accountId: options.accountId }),
    ...(options.region !== undefined && { region: options.region }),
    partition: options.partition ?? "aws",
    recoveryWindowInDays: window,
  });
}
