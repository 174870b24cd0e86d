import type { ParseArgsConfig } from "node:util";
import { parseArgs } from "node:util";
import { PulseCliError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", short: "h" } } as const;

type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: T & typeof HELP;
    allowPositionals: true;
    strict: true;
  }>
>;

/** Thrown for a wrong command line; the command's usage text goes with it. */
export function usageError(message: string, usage: string): PulseCliError {
  return new PulseCliError("ERR_PULSE_CLI_USAGE", message, { usage });
}

/**
 * `util.parseArgs` in strict mode with `--help`/`-h` added, its errors turned into usage errors
 * that name the command.
 */
export function parseCommandLine<T extends Options>(
  args: readonly string[],
  options: T,
  usage: string,
): Parsed<T> {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, ...HELP },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw usageError(message.split("\n")[0] ?? message, usage);
  }
}

/** The one value of an option that must be given. */
export function required(value: unknown, name: string, usage: string): string {
  if (typeof value !== "string" || value === "") throw usageError(`${name} is required`, usage);
  return value;
}
