import type { Diagnostic } from "@pulse/policy";
import { loadPolicy } from "@pulse/policy";
import { parseCommandLine, usageError } from "../internal/args.js";
import {
  countDiagnostics,
  policyDiagnostics,
  printableDiagnostics,
} from "../internal/diagnostics.js";
import type { CliIo } from "../internal/io.js";
import { say, sayJson } from "../internal/io.js";

export const POLICY_CHECK_USAGE = `usage: pulse policy check DIR [--json]

Loads the policy set in DIR (every *.pulse file in it and what they include) with
@pulse/policy, prints every error and warning with file:line:column and an excerpt, and the
policy version (the content hash the broker writes into every token).

  --json   print { ok, version, grants, diagnostics } as JSON

Exit status: 0 the policy loads (warnings are printed, not fatal); 1 it has errors.`;

function report(
  io: CliIo,
  json: boolean,
  ok: boolean,
  diagnostics: readonly Diagnostic[],
  loaded?: { version: string; grants: string[] },
) {
  if (json) {
    sayJson(io, { ok, ...loaded, diagnostics });
    return;
  }
  if (diagnostics.length > 0) say(io, `${printableDiagnostics(diagnostics)}\n`);
  if (loaded === undefined) {
    say(io, `policy refused: ${countDiagnostics(diagnostics)}`);
    return;
  }
  say(io, `policy version ${loaded.version}`);
  say(
    io,
    `${loaded.grants.length} grants (${loaded.grants.join(", ")}); ` +
      countDiagnostics(diagnostics),
  );
}

/** `pulse policy check DIR`: load a policy set and print its diagnostics and version. */
export async function policyCheckCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { json: { type: "boolean" } },
    POLICY_CHECK_USAGE,
  );
  if (values.help) {
    say(io, POLICY_CHECK_USAGE);
    return 0;
  }

  if (positionals.length !== 1)
    throw usageError("give exactly one policy directory", POLICY_CHECK_USAGE);

  const json = values.json === true;
  try {
    const policy = await loadPolicy(positionals[0]!);
    const grants = policy.grants.map((g) => g.id);
    report(io, json, true, policy.warnings, { version: policy.version, grants });
    return 0;
  } catch (error) {
    const diagnostics = policyDiagnostics(error);
    if (diagnostics === undefined) throw error;
    report(io, json, false, diagnostics);
    return 1;
  }
}
