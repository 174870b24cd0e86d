import { PulseVaultError } from "../errors.js";

/** Throws `ERR_PULSE_VAULT_ABORTED` when `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal);
}

/** The error a cancelled call rejects with; the signal's reason is kept as the cause. */
export function abortedError(signal: AbortSignal): PulseVaultError {
  return new PulseVaultError("ERR_PULSE_VAULT_ABORTED", "the call was aborted", {
    cause: signal.reason,
  });
}
