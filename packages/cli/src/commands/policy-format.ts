import { readFile, writeFile } from "node:fs/promises";
import { formatPolicy } from "@pulse/policy";
import { PulseCliError } from "../errors.js";
import { parseCommandLine, usageError } from "../internal/args.js";
import { policyDiagnostics, printableDiagnostics } from "../internal/diagnostics.js";
import type { CliIo } from "../internal/io.js";
import { say, sayJson, warn } from "../internal/io.js";

export const POLICY_FORMAT_USAGE = `usage: pulse policy format FILE... [--check] [--json]

Rewrites each policy file in the one canonical layout of @pulse/policy (comments are kept).
With --check nothing is written: the files that are not canonical are listed.

  --check  list files that are not in canonical form; write nothing
  --json   print { formatted | notCanonical, unchanged, failed } as JSON

Exit status: 0 done (or, with --check, every file canonical); 1 a file is not canonical
(--check), does not parse, or cannot be read.`;

type Outcome = "changed" | "unchanged" | "failed";

async function formatFile(io: CliIo, file: string, check: boolean): Promise<Outcome> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as { code?: string }).code === "EISDIR" ? "is a directory" : "cannot be read";
    warn(io, `${file}: ${reason}`);
    return "failed";
  }

  let formatted: string;
  try {
    formatted = formatPolicy(text, { file });
  } catch (error) {
    const diagnostics = policyDiagnostics(error);
    if (diagnostics === undefined) throw error;
    warn(io, printableDiagnostics(diagnostics));
    return "failed";
  }

  if (formatted === text) return "unchanged";
  if (!check) {
    try {
      await writeFile(file, formatted);
    } catch (error) {
      throw new PulseCliError("ERR_PULSE_CLI_INPUT", `${file} cannot be written`, { cause: error });
    }
  }
  return "changed";
}

/** `pulse policy format`: canonical formatting in place, or a check for it. */
export async function policyFormatCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { check: { type: "boolean" }, json: { type: "boolean" } },
    POLICY_FORMAT_USAGE,
  );
  if (values.help) {
    say(io, POLICY_FORMAT_USAGE);
    return 0;
  }

  if (positionals.length === 0)
    throw usageError("give at least one policy file", POLICY_FORMAT_USAGE);

  const check = values.check === true;
  const results: Record<Outcome, string[]> = { changed: [], unchanged: [], failed: [] };
  for (const file of positionals) results[await formatFile(io, file, check)].push(file);

  if (values.json) {
    const changedKey = check ? "notCanonical" : "formatted";
    sayJson(io, {
      [changedKey]: results.changed,
      unchanged: results.unchanged,
      failed: results.failed,
    });
  } else if (check) {
    for (const file of results.changed) say(io, file);
    if (results.changed.length > 0)
      warn(
        io,
        `${results.changed.length} of ${positionals.length} files are not canonical; ` +
          "run pulse policy format FILE...",
      );
  } else {
    for (const file of results.changed) say(io, `formatted ${file}`);
    say(
      io,
      `${results.changed.length} formatted, ${results.unchanged.length} already canonical, ` +
        `${results.failed.length} failed`,
    );
  }

  const failed = results.failed.length > 0 || (check && results.changed.length > 0);
  return failed ? 1 : 0;
}
