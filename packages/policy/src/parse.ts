import type { PolicyDocument } from "./model.js";
import { parseDocument } from "./internal/parse-document.js";

/**
 * Options for {@link parsePolicy}.
 *
 * @example
 * ```ts
 * parsePolicy(text, { file: "shared/networks.pulse" } satisfies ParsePolicyOptions);
 * ```
 */
export interface ParsePolicyOptions {
  /** File name used in positions and messages. Default `<input>`. */
  readonly file?: string;
}

/**
 * Parses one policy file into its document model: declarations as written, with positions and
 * comments, nothing resolved or validated. Use {@link compilePolicy} or {@link loadPolicy} to get
 * a validated {@link PolicySet}.
 *
 * @param text - The file's text.
 * @param options - `file`: the name shown in positions (default `<input>`).
 * @returns The document.
 * @throws {@link PolicyParseError} (`ERR_PULSE_POLICY_SYNTAX`) with the file, line, column, what
 *   was expected and an excerpt with a caret under the spot.
 *
 * @example
 * ```ts
 * const doc = parsePolicy('include "shared/networks.pulse"', { file: "team-a.pulse" });
 * doc.declarations[0]?.kind; // "include"
 * ```
 */
export function parsePolicy(text: string, options: ParsePolicyOptions = {}): PolicyDocument {
  return parseDocument(text, options.file ?? "<input>");
}
