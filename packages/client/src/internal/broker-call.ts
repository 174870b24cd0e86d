import type { AccessRequest } from "@pulse/core";
import type { BrokerReason } from "../errors.js";
import { PulseClientError, PulseStepUpRequiredError, PulseTokenDeniedError } from "../errors.js";

/** A token as the broker returned it, with its expiry on the local clock. */
export interface IssuedToken {
  readonly token: string;
  readonly jti: string;
  readonly grantId: string;
  /** Lifetime the broker gave, in seconds. */
  readonly expiresInSeconds: number;
}

/** A failure worth retrying: the broker could not be reached or answered 429 / 5xx. */
export class TransientFailure extends Error {}

export interface CallOptions {
  readonly url: URL;
  readonly authorization: string;
  readonly audience: string;
  readonly requests: readonly AccessRequest[];
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/** One `POST /v1/tokens`. Throws a typed client error, or {@link TransientFailure}. */
export async function requestToken(call: CallOptions): Promise<IssuedToken> {
  let response: Response;
  try {
    response = await call.fetch(new URL("v1/tokens", call.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: call.authorization },
      body: JSON.stringify({
        audience: call.audience,
        requests: call.requests.map((r) => ({ resource: r.resource, action: r.action })),
      }),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    throw new TransientFailure(`broker unreachable: ${(error as Error).name}`, { cause: error });
  }

  const body = (await response.json().catch(() => undefined)) as
    Record<string, unknown> | undefined;
  if (response.status === 429 || response.status >= 500) {
    throw new TransientFailure(`broker answered ${response.status}`);
  }

  if (response.status === 200) return issued(body);

  const reasons = reasonList(body?.reasons);
  if (response.status === 403) throw new PulseTokenDeniedError(reasons);

  const challenge = response.headers.get("www-authenticate") ?? "";
  if (response.status === 401 && /error="insufficient_user_authentication"/.test(challenge)) {
    const grant = typeof body?.grantId === "string" ? body.grantId : undefined;
    throw new PulseStepUpRequiredError(grant, reasons, challenge);
  }

  if (response.status === 401) {
    throw new PulseClientError(
      "ERR_PULSE_IDENTITY_REJECTED",
      `broker rejected the identity: ${detail(body)}`,
    );
  }
  throw new PulseClientError(
    "ERR_PULSE_BROKER_REJECTED_REQUEST",
    `broker answered ${response.status}: ${detail(body)}`,
  );
}

function issued(body: Record<string, unknown> | undefined): IssuedToken {
  const token = body?.token;
  const expiresIn = body?.expiresIn;
  if (typeof token !== "string" || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    throw new TransientFailure("broker answered 200 without a usable token");
  }
  return {
    token,
    jti: typeof body?.jti === "string" ? body.jti : "",
    grantId: typeof body?.grantId === "string" ? body.grantId : "",
    expiresInSeconds: expiresIn,
  };
}

function reasonList(value: unknown): BrokerReason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null)
    .map((r) => ({
      code: String(r.code ?? "unknown"),
      detail: String(r.detail ?? ""),
      ...(typeof r.grantId === "string" && { grantId: r.grantId }),
    }));
}

function detail(body: Record<string, unknown> | undefined): string {
  return typeof body?.detail === "string" ? body.detail.slice(0, 200) : "no detail";
}
