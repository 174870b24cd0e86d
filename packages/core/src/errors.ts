import type { Decision, DenyDecision, DenyReason, StepUpDecision } from "./decision.js";

/**
 * Error codes raised by `@pulse/core`. Compare `error.code`, not `instanceof`: two installed
 * copies of the package would each have their own classes.
 */
export type PulseErrorCode =
  | "ERR_PULSE_INVALID_CLAIMS"
  | "ERR_PULSE_INVALID_RESOURCE"
  | "ERR_PULSE_INVALID_KEY"
  | "ERR_PULSE_INVALID_OPTIONS"
  | "ERR_PULSE_DENIED";

/**
 * Base class of every error thrown by PULSE packages. Verification never throws: it returns a
 * {@link Decision}. Errors are for programming mistakes (bad options, bad input to `mint`) and for
 * adapters that turn a denial into a rejected call.
 */
export class PulseError extends Error {
  /** Stable, machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PulseError";
    this.code = code;
  }
}

/** Claims handed to {@link mint} (or found in a token) do not follow the PULSE claim model. */
export class PulseClaimsError extends PulseError {
  /** The claim that failed, as a dotted path (`cap.0.res`). */
  readonly claim: string;

  constructor(claim: string, message: string, options?: { cause?: unknown }) {
    super("ERR_PULSE_INVALID_CLAIMS", `${claim}: ${message}`, options);
    this.name = "PulseClaimsError";
    this.claim = claim;
  }
}

/** A resource URI or pattern is not well formed. */
export class PulseResourceError extends PulseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_PULSE_INVALID_RESOURCE", message, options);
    this.name = "PulseResourceError";
  }
}

/** A key or key set cannot be used (symmetric, private where public was expected, no `kid`). */
export class PulseKeyError extends PulseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_PULSE_INVALID_KEY", message, options);
    this.name = "PulseKeyError";
  }
}

/** Options handed to a PULSE constructor are missing or contradictory. */
export class PulseOptionsError extends PulseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_PULSE_INVALID_OPTIONS", message, options);
    this.name = "PulseOptionsError";
  }
}

/**
 * An adapter refused an operation because its decision was `deny` or `step-up` in `enforce`
 * mode. Nothing was sent to the data store.
 */
export class PulseDeniedError extends PulseError {
  /** The decision's reason code. */
  readonly reason: DenyReason;
  /** `deny`, or `step-up` when a higher-friction path could still grant the access. */
  readonly outcome: "deny" | "step-up";
  /** The full decision. */
  readonly decision: DenyDecision | StepUpDecision;

  constructor(decision: DenyDecision | StepUpDecision, options?: { cause?: unknown }) {
    const what = decision.outcome === "step-up" ? "step-up required" : "denied";
    super("ERR_PULSE_DENIED", `PULSE ${what}: ${decision.reason} (${decision.detail})`, options);
    this.name = "PulseDeniedError";
    this.reason = decision.reason;
    this.outcome = decision.outcome;
    this.decision = decision;
  }
}

/**
 * Throws {@link PulseDeniedError} when `decision.blocked` is true; otherwise does nothing.
 *
 * @example
 * ```ts
 * assertAllowed(await verifier.check(token, request));
 * ```
 */
export function assertAllowed(decision: Decision): void {
  if (decision.blocked && decision.outcome !== "allow") throw new PulseDeniedError(decision);
}
