import { PulseVaultError } from "../../errors.js";
import { secretPath } from "../path.js";

/** A Secrets Manager ARN, split. */
export interface SecretArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The secret's name: the random suffix of a complete ARN removed. */
  readonly name: string;
  /** True when the ARN ends in the `-XXXXXX` suffix Secrets Manager adds. */
  readonly complete: boolean;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
// Secrets Manager appends `-` and six characters to a name to make its ARN.
const SUFFIX = /-[A-Za-z0-9]{6}$/;

function invalid(arn: string, why: string): never {
  const shown = JSON.stringify(arn.slice(0, 160));
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_PATH", `invalid secret ARN ${shown}: ${why}`);
}

/** True when `id` is written as an ARN (secret names cannot hold `:`). */
export function isArn(id: string): boolean {
  return id.startsWith("arn:");
}

/**
 * Parses a secret ARN, complete or partial. Following the Secrets Manager rule, an ARN whose
 * last part ends in `-` and six letters or digits is taken as complete and the suffix is not
 * part of the name; anything else is a partial ARN whose last part is the whole name.
 */
export function parseSecretArn(arn: string): SecretArn {
  const parts = arn.split(":");
  if (parts.length !== 7)
    invalid(arn, "expected arn:partition:secretsmanager:region:account:secret:name");

  const [, partition, service, region, account, type, last] = parts as [string, ...string[]];
  if (!PARTITION.test(partition!)) invalid(arn, "unknown partition");
  if (service !== "secretsmanager" || type !== "secret")
    invalid(arn, "not a Secrets Manager secret");
  if (!REGION.test(region!)) invalid(arn, "not a region");
  if (!ACCOUNT.test(account!)) invalid(arn, "not a 12-digit account id");

  const complete = SUFFIX.test(last!);
  const name = complete ? last!.slice(0, -7) : last!;
  if (name === "") invalid(arn, "no secret name");
  return {
    partition: partition!,
    region: region!,
    account: account!,
    name: secretPath(name),
    complete,
  };
}

/** The resource instance of a secret in another account, region or partition. */
export function foreignMount(arn: SecretArn): string {
  return `${arn.partition}.${arn.account}.${arn.region}`;
}
