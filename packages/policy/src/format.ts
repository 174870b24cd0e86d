import type { PolicyDocument } from "./model.js";
import { parseDocument } from "./internal/parse-document.js";
import { printDocument } from "./internal/printer.js";

/**
 * Formats a policy file in the one canonical layout: two-space indentation, clauses in a fixed
 * order, lists on one line when they fit in 100 columns, comments kept on the declaration or
 * clause they precede. `formatPolicy(formatPolicy(x)) === formatPolicy(x)`.
 *
 * The formatter only lays out; it does not validate. A comment written at the end of a line
 * moves onto its own line above the clause it follows.
 *
 * @param text - The file's text.
 * @param options - `file`: the name shown in syntax errors.
 * @returns The formatted text, ending with one newline (empty for an empty file).
 * @throws {@link PolicyParseError} when the text does not parse.
 *
 * @example
 * ```ts
 * formatPolicy('grant x{principal human "ann" actions[read]}');
 * // 'grant x {\n  principal human "ann"\n  actions [read]\n}\n'
 * ```
 */
export function formatPolicy(text: string, options: { readonly file?: string } = {}): string {
  return printDocument(parseDocument(text, options.file ?? "<input>"));
}

/**
 * Prints a parsed document in the canonical layout (see {@link formatPolicy}).
 *
 * @example
 * ```ts
 * formatDocument(parsePolicy(text)) === formatPolicy(text); // true
 * ```
 */
export function formatDocument(document: PolicyDocument): string {
  return printDocument(document);
}
