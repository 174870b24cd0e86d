import { PulseError } from "@pulse/core";

/** Error codes raised by `@pulse/client`. Compare `error.code`, not `instanceof`. */
export type PulseClientErrorCode =
  | "ERR_PULSE_CLIENT_OPTIONS"
  | "ERR_PULSE_TOKEN_DENIED"
  | "ERR_PULSE_STEP_UP_REQUIRED"
  | "ERR_PULSE_IDENTITY_REJECTED"
  | "ERR_PULSE_BROKER_REJECTED_REQUEST"
  | "ERR_PULSE_BROKER_UNAVAILABLE";

/** One reason the broker gave for a denial or a step-up. */
export interface BrokerReason {
  readonly code: string;
  readonly detail: string;
  readonly grantId?: string;
}

/**
 * Base class of every error thrown by `@pulse/client`.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.getToken({ resource, action: "read" });
 * } catch (error) {
 *   if ((error as PulseClientError).code === "ERR_PULSE_BROKER_UNAVAILABLE") return retryLater();
 *   throw error;
 * }
 * ```
 */
export class PulseClientError extends PulseError {
  declare readonly code: PulseClientErrorCode;

  constructor(code: PulseClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "PulseClientError";
  }
}

/**
 * The broker found no grant that allows the request in the caller's current context.
 *
 * @example
 * ```ts
 * if (error.code === "ERR_PULSE_TOKEN_DENIED") log.warn(error.reasons.map((r) => r.code));
 * ```
 */
export class PulseTokenDeniedError extends PulseClientError {
  readonly reasons: readonly BrokerReason[];

  constructor(reasons: readonly BrokerReason[]) {
    const codes = reasons.map((r) => r.code).join(", ") || "no reason given";
    super("ERR_PULSE_TOKEN_DENIED", `broker denied the token: ${codes}`);
    this.name = "PulseTokenDeniedError";
    this.reasons = reasons;
  }
}

/**
 * The grant routes this access to a higher-friction path. The broker answered like RFC 9470's
 * `insufficient_user_authentication`; `challenge` is its `WWW-Authenticate` header.
 *
 * @example
 * ```ts
 * if (error.code === "ERR_PULSE_STEP_UP_REQUIRED") return askApprover(error.grantId);
 * ```
 */
export class PulseStepUpRequiredError extends PulseClientError {
  readonly grantId: string | undefined;
  readonly reasons: readonly BrokerReason[];
  readonly challenge: string;

  constructor(grantId: string | undefined, reasons: readonly BrokerReason[], challenge: string) {
    super("ERR_PULSE_STEP_UP_REQUIRED", `step-up required by grant ${grantId ?? "(unknown)"}`);
    this.name = "PulseStepUpRequiredError";
    this.grantId = grantId;
    this.reasons = reasons;
    this.challenge = challenge;
  }
}
