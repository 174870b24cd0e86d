/**
 * `@pulse/cli`: the `pulse` command, and {@link runCli} to run it from code (tests, scripts,
 * other tools) with its own output streams.
 *
 * Commands: `broker`, `keys generate`, `inspect`, `verify`, `policy check`, `policy format`.
 * See `docs/cli.md`.
 *
 * @packageDocumentation
 */
import type { CliIo } from "./internal/io.js";
import { run } from "./internal/run.js";

export type { PulseCliErrorCode } from "./errors.js";
export { PulseCliError } from "./errors.js";
export type { CliIo } from "./internal/io.js";

/**
 * Runs `pulse` with `args` (the words after `pulse`) and resolves to its exit status. Never
 * rejects and never prints a stack trace: a bad command line or bad input is a message on
 * `stderr` and status 1. `pulse verify` resolves to 2 for a deny or step-up.
 *
 * @param args - The command line after `pulse`, e.g. `["policy", "check", "./policies"]`.
 * @param io - Output streams, standard input, environment and an abort signal; each defaults
 *   to the process's own (no signal).
 * @returns The exit status.
 *
 * @example
 * ```ts
 * import { runCli } from "@pulse/cli";
 *
 * let out = "";
 * const status = await runCli(["policy", "check", "./policies", "--json"], {
 *   stdout: { write: (text: string) => (out += text) },
 * });
 * if (status === 0) console.log(JSON.parse(out).version); // "sha256:…"
 * ```
 */
export function runCli(args: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  return run(args, {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    ...(io.signal !== undefined && { signal: io.signal }),
  });
}
