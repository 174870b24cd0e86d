import type { Diagnostic } from "@pulse/policy";
import { formatDiagnostic } from "@pulse/policy";

/** The diagnostics a `@pulse/policy` error carries, or undefined for any other error. */
export function policyDiagnostics(error: unknown): readonly Diagnostic[] | undefined {
  const { code, diagnostics } = (error ?? {}) as { code?: unknown; diagnostics?: unknown };
  if (typeof code !== "string" || !code.startsWith("ERR_PULSE_POLICY_")) return undefined;
  return Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : undefined;
}

/** Each diagnostic in the policy package's own format, a blank line between them. */
export function printableDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => formatDiagnostic(d)).join("\n\n");
}

/** `2 errors, 1 warning`. */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
