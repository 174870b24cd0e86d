import type { Logger } from "@pulse/core";
import { PulseVaultError, SecretBackendError } from "../../errors.js";
import { abortedError, throwIfAborted } from "../abort.js";

/** How the client reaches Vault. */
export interface VaultHttpConfig {
  readonly address: string;
  readonly token: () => string | Promise<string>;
  readonly namespace?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
}

/** One API call: `path` is below `/v1/` and already percent-encoded. */
export interface VaultCall {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** Safe to send again after a 5xx or a network failure. Writes of new versions are not. */
  readonly idempotent: boolean;
}

/** Status and parsed body (`undefined` when empty). */
export interface VaultResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Vault's error messages from a response body (`{ "errors": [...] }`). */
export function vaultErrors(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map(String) : [];
}

/**
 * Sends one call, retrying 5xx answers and network failures of idempotent calls with
 * exponential backoff. Each attempt has its own timeout; the caller's signal cancels them all.
 */
export async function vaultRequest(
  config: VaultHttpConfig,
  call: VaultCall,
): Promise<VaultResponse> {
  const url = `${config.address.replace(/\/+$/, "")}/v1/${call.path}`;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(call.signal);
    const last = !call.idempotent || attempt >= config.retries;

    let response: VaultResponse;
    try {
      response = await attemptOnce(config, call, url);
    } catch (error) {
      if (last || (error as PulseVaultError).code !== "ERR_PULSE_VAULT_BACKEND") throw error;
      config.logger.warn?.("vault request failed; retrying", { path: call.path, attempt });
      await backoff(config, attempt, call.signal);
      continue;
    }

    if (response.status < 500 || last) return response;
    config.logger.warn?.("vault answered 5xx; retrying", { status: response.status, attempt });
    await backoff(config, attempt, call.signal);
  }
}

async function attemptOnce(config: VaultHttpConfig, call: VaultCall, url: string) {
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  try {
    const headers: Record<string, string> = { "X-Vault-Token": await config.token() };
    if (config.namespace !== undefined) headers["X-Vault-Namespace"] = config.namespace;
    if (call.body !== undefined) headers["Content-Type"] = "application/json";

    const response = await config.fetch(url, {
      method: call.method,
      headers,
      signal,
      ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: parseBody(text, response.status) };
  } catch (error) {
    if (call.signal?.aborted) throw abortedError(call.signal);
    if (timeout.aborted) {
      const request = `${call.method} /v1/${call.path}`;
      const message = `vault did not answer ${request} in ${config.timeoutMs} ms`;
      throw new PulseVaultError("ERR_PULSE_VAULT_TIMEOUT", message, { cause: error });
    }
    if (error instanceof PulseVaultError) throw error;
    const reason = (error as Error)?.message;
    const message = `vault request ${call.method} /v1/${call.path} failed: ${reason}`;
    throw new SecretBackendError(message, { cause: error });
  }
}

function parseBody(text: string, status: number): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = `vault answered ${status} with a body that is not JSON`;
    throw new SecretBackendError(message, {
      status,
      backendErrors: [text.slice(0, 200)],
      cause: error,
    });
  }
}

function backoff(config: VaultHttpConfig, attempt: number, signal: AbortSignal | undefined) {
  const ceiling = config.retryDelayMs * 2 ** attempt;
  const delay = ceiling / 2 + Math.random() * (ceiling / 2);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, delay);
    function done() {
      signal?.removeEventListener("abort", stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(abortedError(signal!));
    }
    signal?.addEventListener("abort", stop, { once: true });
  });
}
