import { PulseError } from "@pulse/core";

/** Error codes raised by `@pulse/broker`. Compare `error.code`, not `instanceof`. */
export type PulseBrokerErrorCode =
  | "ERR_PULSE_BROKER_OPTIONS"
  | "ERR_PULSE_BROKER_STORE"
  | "ERR_PULSE_BROKER_KEYS"
  | "ERR_PULSE_BROKER_STATE";

/**
 * Base class of every error thrown by `@pulse/broker`. HTTP callers never see these: the service
 * answers with a JSON problem (status, `error`, `detail`) and no stack trace.
 *
 * @example
 * ```ts
 * try {
 *   createBroker(options);
 * } catch (error) {
 *   if ((error as PulseBrokerError).code === "ERR_PULSE_BROKER_OPTIONS") printUsage();
 * }
 * ```
 */
export class PulseBrokerError extends PulseError {
  declare readonly code: PulseBrokerErrorCode;

  constructor(code: PulseBrokerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "PulseBrokerError";
  }
}
