import { PulseError } from "@pulse/core";

/**
 * Error codes raised by `@pulse/pg`. Denials are core's `ERR_PULSE_DENIED`.
 *
 * @example
 * ```ts
 * const code: PulsePgErrorCode = "ERR_PULSE_PG_CLIENT_RELEASED";
 * ```
 */
export type PulsePgErrorCode =
  | "ERR_PULSE_PG_INVALID_OPTIONS"
  | "ERR_PULSE_PG_CLIENT_RELEASED"
  | "ERR_PULSE_PG_UNSUPPORTED_CALL"
  | "ERR_PULSE_PG_PARSER_UNAVAILABLE";

/**
 * Base class of the errors `@pulse/pg` throws for programming mistakes (bad options, a guarded
 * client used after `release`). A statement the guard refuses is a `PulseDeniedError` from
 * `@pulse/core` (`code === "ERR_PULSE_DENIED"`), not a `PulsePgError`.
 *
 * @example
 * ```ts
 * try {
 *   await client.query("SELECT 1");
 * } catch (error) {
 *   if ((error as PulsePgError).code === "ERR_PULSE_PG_CLIENT_RELEASED") reconnect();
 * }
 * ```
 */
export class PulsePgError extends PulseError {
  declare readonly code: PulsePgErrorCode;

  constructor(code: PulsePgErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "PulsePgError";
  }
}
