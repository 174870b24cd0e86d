import { PulseError } from "@pulse/core";

/**
 * Error codes raised by `@pulse/policy`. Compare `error.code`, not `instanceof`.
 *
 * - `ERR_PULSE_POLICY_SYNTAX`: a file does not follow the grammar.
 * - `ERR_PULSE_POLICY_INVALID`: the policy parses but breaks a rule (missing justification,
 *   expiry in the past, service-wide resource, unknown group, include cycle, …).
 * - `ERR_PULSE_POLICY_IO`: a policy file could not be read.
 */
export type PolicyErrorCode =
  "ERR_PULSE_POLICY_SYNTAX" | "ERR_PULSE_POLICY_INVALID" | "ERR_PULSE_POLICY_IO";

/** Where a diagnostic points: file, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One finding about a policy: an error (the policy is refused) or a warning (lint).
 * `excerpt` is the source line with a caret under the spot, ready to print.
 *
 * @example
 * ```ts
 * const d: Diagnostic = policy.warnings[0]!;
 * `${d.file}:${d.line}:${d.column} ${d.rule}: ${d.message}`; // "a.pulse:3:7 expires-soon: …"
 * ```
 */
export interface Diagnostic extends SourcePosition {
  readonly severity: "error" | "warning";
  /** Stable rule name, e.g. `syntax`, `missing-justification`, `overlapping-grants`. */
  readonly rule: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** For syntax errors: what the parser expected at this spot. */
  readonly expected?: readonly string[];
  /** The offending line and a caret under the column. */
  readonly excerpt: string;
}

/**
 * Base class of every error thrown by `@pulse/policy`. `diagnostics` lists every error found
 * (and the warnings seen meanwhile); `message` starts with the first error, formatted as
 * `file:line:column: message` followed by the excerpt.
 *
 * @example
 * ```ts
 * try {
 *   compilePolicy([{ file: "a.pulse", text }]);
 * } catch (error) {
 *   const e = error as PolicyError;
 *   if (e.code === "ERR_PULSE_POLICY_INVALID") report(e.diagnostics);
 * }
 * ```
 */
export class PolicyError extends PulseError {
  /** Every finding, errors first. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: PolicyErrorCode,
    diagnostics: readonly Diagnostic[],
    options?: { cause?: unknown },
  ) {
    super(code, describe(diagnostics), options);
    this.name = "PolicyError";
    this.diagnostics = diagnostics;
  }
}

/**
 * A policy file does not follow the grammar. Carries the first syntax error's position and what
 * was expected there.
 *
 * @example
 * ```ts
 * try {
 *   parsePolicy("grant x {", { file: "x.pulse" });
 * } catch (error) {
 *   const e = error as PolicyParseError;
 *   [e.line, e.column, e.expected]; // [1, 10, ['"}"', …]]
 * }
 * ```
 */
export class PolicyParseError extends PolicyError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly expected: readonly string[];

  constructor(diagnostic: Diagnostic, options?: { cause?: unknown }) {
    super("ERR_PULSE_POLICY_SYNTAX", [diagnostic], options);
    this.name = "PolicyParseError";
    this.file = diagnostic.file;
    this.line = diagnostic.line;
    this.column = diagnostic.column;
    this.expected = diagnostic.expected ?? [];
  }
}

/**
 * `file:line:column: severity: message` followed by the excerpt with its caret, for a terminal.
 *
 * @example
 * ```ts
 * for (const w of policy.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column, severity, message, excerpt } = diagnostic;
  return `${file}:${line}:${column}: ${severity}: ${message}\n${excerpt}`;
}

function describe(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0] ?? diagnostics[0];
  if (first === undefined) return "invalid policy";
  const more = errors.length > 1 ? `\n(and ${errors.length - 1} more errors)` : "";
  return `${formatDiagnostic(first)}${more}`;
}
