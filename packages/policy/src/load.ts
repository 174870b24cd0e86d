import type { CompilePolicyOptions } from "./compile.js";
import type { PolicySet } from "./model.js";
import { compileSet } from "./internal/compile-set.js";
import { readPolicyFiles } from "./internal/read-files.js";

/**
 * Loads the policy set kept in a directory: every `*.pulse` file directly in `root`, plus the
 * files they include (which may sit in subdirectories). Includes that leave `root`, directly or
 * through a symbolic link, are refused. Then compiles as {@link compilePolicy} does.
 *
 * Files in subdirectories that no file includes are not part of the set.
 *
 * @param root - The policy directory.
 * @param options - `now` and `horizonDays`, as for {@link compilePolicy}.
 * @returns The policy set.
 * @throws {@link PolicyError} with diagnostics on any error: syntax (`ERR_PULSE_POLICY_SYNTAX`),
 *   rule (`ERR_PULSE_POLICY_INVALID`) or a file that cannot be read (`ERR_PULSE_POLICY_IO`).
 *
 * @example
 * ```ts
 * const policy = await loadPolicy("./policies", { horizonDays: 180 });
 * for (const w of policy.warnings) logger.warn?.(w.message, { file: w.file, line: w.line });
 * ```
 */
export async function loadPolicy(
  root: string,
  options: CompilePolicyOptions = {},
): Promise<PolicySet> {
  const { sources, refused, problems } = await readPolicyFiles(root);
  return compileSet(sources, options, refused, problems);
}
