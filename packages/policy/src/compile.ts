import type { PolicySet } from "./model.js";
import { compileSet } from "./internal/compile-set.js";

/**
 * Options for {@link compilePolicy} and {@link loadPolicy}.
 *
 * @example
 * ```ts
 * const options: CompilePolicyOptions = { now: new Date("2027-01-01T00:00:00Z"), horizonDays: 90 };
 * ```
 */
export interface CompilePolicyOptions {
  /** The clock expiries are checked against. Default: now. */
  readonly now?: Date;
  /** How far ahead an expiry may lie, in days. Default 366. */
  readonly horizonDays?: number;
}

/**
 * Compiles a policy set from files held in memory: parses every file, resolves includes
 * (relative to the including file; cycles and paths leaving the set's root are refused),
 * resolves groups, validates every grant, lints, and computes the version.
 *
 * File names are relative POSIX paths inside one virtual root (`team-a.pulse`,
 * `shared/networks.pulse`). Every file given is part of the set; an include must name one of
 * them.
 *
 * @param sources - The files.
 * @param options - `now` (default: the current time) and `horizonDays` (default 366).
 * @returns The policy set: its version, its grants sorted by id, and lint warnings.
 * @throws {@link PolicyError} with every error found as `diagnostics`: `ERR_PULSE_POLICY_SYNTAX`
 *   when a file does not parse, `ERR_PULSE_POLICY_INVALID` when a rule is broken.
 *
 * @example
 * ```ts
 * const policy = compilePolicy([{ file: "backup.pulse", text: await readFile(path, "utf8") }]);
 * policy.version; // "sha256:3f1c…"
 * ```
 */
export function compilePolicy(
  sources: ReadonlyArray<{ file: string; text: string }>,
  options: CompilePolicyOptions = {},
): PolicySet {
  return compileSet(sources, options);
}
