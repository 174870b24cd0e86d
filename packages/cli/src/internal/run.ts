import { dispatch } from "./cli.js";
import type { CliIo } from "./io.js";
import { warn } from "./io.js";

function describe(error: unknown): { message: string; usage?: string } {
  if (!(error instanceof Error)) return { message: String(error) };

  const { code, usage } = error as { code?: unknown; usage?: unknown };
  const message = error.message.split("\n")[0] ?? error.message;
  // An error with a string code comes from a PULSE package or from Node (ENOENT, …): its
  // message is written for people. Anything else is a fault; its name helps a report.
  const text = typeof code === "string" ? message : `${error.name}: ${message}`;
  return typeof usage === "string" ? { message: text, usage } : { message: text };
}

/** Runs the command line, turning every error into a message and exit status 1. */
export async function run(args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (error) {
    const { message, usage } = describe(error);
    warn(io, `pulse: error: ${message}`);
    // The synopsis only: the lines up to the first blank line of the command's help.
    if (usage !== undefined) warn(io, usage.split("\n\n")[0] ?? usage);
    return 1;
  }
}
