/**
 * `@pulse/policy`: the PULSE policy language. Grants written in reviewed `*.pulse` files are
 * parsed, validated, linted, formatted, hashed into a policy version, and evaluated against a
 * request to produce the narrowest capability a broker may sign, a denial with reasons, or a
 * step-up.
 *
 * The language is described in `docs/policy-language.md`.
 *
 * @packageDocumentation
 */
export type { CompilePolicyOptions } from "./compile.js";
export { compilePolicy } from "./compile.js";
export type { Diagnostic, PolicyErrorCode, SourcePosition } from "./errors.js";
export { formatDiagnostic, PolicyError, PolicyParseError } from "./errors.js";
export type { Evaluation, EvaluationDenyCode, EvaluationRequest } from "./evaluate.js";
export { evaluate } from "./evaluate.js";
export { formatDocument, formatPolicy } from "./format.js";
export { loadPolicy } from "./load.js";
export type {
  Clause,
  Declaration,
  FlagValue,
  Grant,
  GrantDecl,
  GroupDecl,
  GroupRef,
  IncludeDecl,
  PolicyDocument,
  PolicySet,
  Span,
  Text,
} from "./model.js";
export type { ParsePolicyOptions } from "./parse.js";
export { parsePolicy } from "./parse.js";
