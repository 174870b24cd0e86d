import type { CliIo } from "./io.js";
import { readAll } from "./io.js";
import { usageError } from "./args.js";

/**
 * The token a command was given: the positional argument itself, or standard input when it is
 * `-` (which keeps the token out of shell history). Surrounding whitespace is dropped.
 */
export async function tokenArgument(
  positionals: readonly string[],
  io: CliIo,
  usage: string,
): Promise<string> {
  if (positionals.length === 0)
    throw usageError("a token (or - for standard input) is required", usage);

  if (positionals.length > 1) throw usageError("give exactly one token", usage);

  const given = positionals[0]!;
  const token = (given === "-" ? await readAll(io.stdin) : given).trim();
  if (token === "") throw usageError("the token is empty", usage);
  return token;
}
