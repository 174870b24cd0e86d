import { PulseError } from "@pulse/core";

/**
 * Error codes raised by `@pulse/cli`. Compare `error.code`, not `instanceof`.
 *
 * - `ERR_PULSE_CLI_USAGE`: the command line is wrong (unknown command or option, a missing
 *   argument, a value outside its set).
 * - `ERR_PULSE_CLI_INPUT`: an argument names something that cannot be used (a token that does
 *   not decode, a key file that is not JSON, a missing environment variable).
 */
export type PulseCliErrorCode = "ERR_PULSE_CLI_USAGE" | "ERR_PULSE_CLI_INPUT";

/**
 * A command could not run because of what it was given. `runCli` prints the message (never a
 * stack trace) and returns exit code 1.
 *
 * @example
 * ```ts
 * throw new PulseCliError("ERR_PULSE_CLI_USAGE", "--out DIR is required");
 * ```
 */
export class PulseCliError extends PulseError {
  /** The help text of the command that failed, shown after a usage error. */
  readonly usage: string | undefined;

  constructor(
    code: PulseCliErrorCode,
    message: string,
    options?: { cause?: unknown; usage?: string },
  ) {
    super(code, message, options);
    this.name = "PulseCliError";
    this.usage = options?.usage;
  }
}
