import {
  PulseVaultError,
  SecretBackendError,
  SecretConflictError,
  SecretNotFoundError,
} from "../../errors.js";
import { abortedError } from "../abort.js";

interface ServiceError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Turns an SDK error into this package's errors, keeping the AWS exception name and text. */
export function awsError(error: unknown, path: string, signal?: AbortSignal): PulseVaultError {
  if (error instanceof PulseVaultError) return error;
  if (signal?.aborted) return abortedError(signal);

  const e = (error ?? {}) as ServiceError;
  if (e.name === "AbortError") return abortedError(signal ?? AbortSignal.abort());

  if (e.name === "ResourceNotFoundException") return new SecretNotFoundError(path);

  if (e.name === "InvalidRequestException" && /marked for deletion/i.test(e.message ?? "")) {
    return new SecretNotFoundError(path, "deleted");
  }

  if (e.name === "ResourceExistsException") {
    return new SecretConflictError(path, `already exists (${e.message ?? e.name})`, {
      cause: error,
    });
  }

  const name = e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode;
  const message = `AWS Secrets Manager: ${name} on ${JSON.stringify(path)}: ${e.message ?? ""}`;
  return new SecretBackendError(message.trimEnd(), {
    ...(status !== undefined && { status }),
    backendErrors: [`${name}: ${e.message ?? ""}`],
    cause: error,
  });
}

/** An operation Secrets Manager has no equivalent for. */
export function unsupported(what: string): PulseVaultError {
  return new PulseVaultError(
    "ERR_PULSE_VAULT_UNSUPPORTED",
    `AWS Secrets Manager does not support ${what}`,
  );
}
