import type {
  BatchGetSecretValueResponse,
  SecretValueEntry,
} from "@aws-sdk/client-secrets-manager";
import { SecretBackendError, SecretNotFoundError } from "../../errors.js";
import { isArn, parseSecretArn } from "./arn.js";

// The entry a caller's id names: by ARN (complete, or partial without the suffix) or by name.
function matches(id: string, entry: SecretValueEntry): boolean {
  if (!isArn(id)) return entry.Name === id;
  if (entry.ARN === id) return true;
  return !parseSecretArn(id).complete && entry.ARN?.slice(0, -7) === id;
}

/**
 * Pairs each requested id with its entry of a BatchGetSecretValue answer, in request order.
 * A per-secret error, or a secret missing from the answer, fails the whole batch.
 */
export function batchEntries(
  ids: readonly string[],
  out: BatchGetSecretValueResponse,
): Array<[string, SecretValueEntry]> {
  const failure = out.Errors?.[0];
  if (failure !== undefined) {
    const id = failure.SecretId ?? "?";
    if (failure.ErrorCode === "ResourceNotFoundException") throw new SecretNotFoundError(id);
    const text = `${failure.ErrorCode ?? "Error"}: ${failure.Message ?? ""}`;
    throw new SecretBackendError(`AWS Secrets Manager batch read failed on ${id}: ${text}`, {
      backendErrors: (out.Errors ?? []).map((e) => `${e.SecretId}: ${e.ErrorCode}`),
    });
  }

  const entries = out.SecretValues ?? [];
  return ids.map((id) => {
    const entry = entries.find((candidate) => matches(id, candidate));
    if (entry === undefined) throw new SecretNotFoundError(id);
    return [id, entry];
  });
}
