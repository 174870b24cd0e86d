import type { Diagnostic } from "../errors.js";
import { PolicyParseError } from "../errors.js";
import type { PolicyDocument } from "../model.js";
import type { RawDocument } from "./attach-comments.js";
import { attachComments } from "./attach-comments.js";
import { excerpt } from "./excerpt.js";
import { parse, SyntaxError as PeggySyntaxError } from "./grammar.generated.js";

/** Longest policy file accepted, in characters. */
const MAX_POLICY_CHARS = 4 * 1024 * 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses one file into its document model; throws {@link PolicyParseError}. */
export function parseDocument(text: string, file: string): PolicyDocument {
  if (typeof text !== "string") throw syntaxError(file, "", 1, 1, "policy text is not a string");
  if (text.length > MAX_POLICY_CHARS) {
    throw syntaxError(file, "", 1, 1, `policy file longer than ${MAX_POLICY_CHARS} characters`);
  }

  // A byte-order mark becomes a space, so that offsets and columns stay those of the file.
  const source = text.startsWith("\uFEFF") ? ` ${text.slice(1)}` : text;
  let raw: RawDocument;
  try {
    raw = parse(source, { file, grammarSource: file }) as RawDocument;
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw fromPeggy(error, text, file);
    // Not expected from this grammar (it has no recursion), but never let it escape untyped.
    throw syntaxError(file, text, 1, 1, `the parser failed: ${(error as Error).message}`);
  }
  return attachComments(raw, source);
}

function fromPeggy(error: PeggySyntaxError, text: string, file: string): PolicyParseError {
  const { line, column, offset } = error.location.start;
  if (error.expected === null) return syntaxError(file, text, line, column, error.message);

  const expected = [...new Set(error.expected.map(describeExpectation))].sort();
  const found = foundAt(text, offset);
  const message = `expected ${oneOf(expected)} but found ${found}`;
  return syntaxError(file, text, line, column, message, expected);
}

function describeExpectation(
  e: PeggySyntaxError["expected"] extends (infer T)[] | null ? T : never,
) {
  if (e.type === "literal") return JSON.stringify(e.text);
  if (e.type === "end") return "end of file";
  if (e.type === "other") return e.description;
  if (e.type === "any") return "any character";
  return "character";
}

function oneOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function foundAt(text: string, offset: number): string {
  if (offset >= text.length) return "end of file";
  const word = /^(?:[A-Za-z0-9_.:@-]+|"{1,3}|\S)/.exec(text.slice(offset, offset + 40));
  if (word === null) return text[offset] === "\n" ? "end of line" : "whitespace";
  return JSON.stringify(word[0]);
}

function syntaxError(
  file: string,
  text: string,
  line: number,
  column: number,
  message: string,
  expected?: readonly string[],
): PolicyParseError {
  const diagnostic: Mutable<Diagnostic> = {
    severity: "error",
    rule: "syntax",
    message,
    file,
    line,
    column,
    excerpt: excerpt(text, line, column),
  };
  if (expected !== undefined) diagnostic.expected = expected;
  return new PolicyParseError(diagnostic);
}
