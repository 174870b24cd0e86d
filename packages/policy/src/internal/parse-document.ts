import type { Diagnostic } from "../errors.js";
import { PolicyParseError } from "../errors.js";
import type { Declaration, PolicyDocument } from "../model.js";
import { excerpt } from "./excerpt.js";
import { parse, SyntaxError as PeggySyntaxError } from "./grammar.generated.js";

/** Longest policy file accepted, in characters. */
const MAX_POLICY_CHARS = 4 * 1024 * 1024;

interface RawComment {
  readonly text: string;
  readonly offset: number;
}

interface RawDocument {
  readonly file: string;
  readonly declarations: Declaration[];
  readonly comments: RawComment[];
}

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
    if (!(error instanceof PeggySyntaxError)) throw error;
    throw fromPeggy(error, text, file);
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

// Comments are placed on the most specific node: a comment ending the line of a node (a list
// item, a clause, a declaration) trails it; any other comment goes before the next node at its
// depth. A comment after the last node of a grant or a file is kept at the end of that block.
interface Slot {
  span: { offset: number; end: number };
  comments?: string[];
  trailing?: string;
  children?: Slot[];
  endComments?: string[];
}

function attachComments(raw: RawDocument, text: string): PolicyDocument {
  const seen = new Map<number, string>();
  for (const c of raw.comments) seen.set(c.offset, c.text.trimEnd());
  const comments = [...seen].sort((a, b) => a[0] - b[0]);

  const root: Slot = { span: { offset: 0, end: text.length }, endComments: [] };
  root.children = raw.declarations.map((d) => slotOf(d));

  const firstStart = raw.declarations[0]?.span.offset ?? text.length;
  const headComments: string[] = [];
  for (const [offset, comment] of comments) {
    const head = offset < firstStart && /\n[ \t\r]*\n/.test(text.slice(offset, firstStart));
    if (head) headComments.push(comment);
    else place(root, offset, comment, text);
  }
  const declarations = root.children.map(unslot) as Declaration[];
  return { file: raw.file, headComments, declarations, endComments: root.endComments! };
}

const SLOT = Symbol("slot");

function slotOf(node: object): Slot {
  const n = node as Record<string, unknown>;
  const slot: Slot & { [SLOT]: Record<string, unknown> } = {
    span: n["span"] as Slot["span"],
    [SLOT]: { ...n },
  };
  const list = (n["clauses"] ?? n["members"] ?? n["items"]) as object[] | undefined;
  if (Array.isArray(list)) slot.children = list.map((c) => slotOf(c));
  if (n["kind"] === "grant") slot.endComments = [];
  return slot;
}

function unslot(slot: Slot): unknown {
  const node = { ...(slot as Slot & { [SLOT]: Record<string, unknown> })[SLOT] };
  if (slot.comments !== undefined) node["comments"] = slot.comments;
  if (slot.trailing !== undefined) node["trailing"] = slot.trailing;
  if (slot.endComments !== undefined) node["endComments"] = slot.endComments;
  if (slot.children !== undefined) {
    const key = "clauses" in node ? "clauses" : "members" in node ? "members" : "items";
    node[key] = slot.children.map(unslot);
  }
  if (node["kind"] === "grant" || node["kind"] === "group" || node["kind"] === "include") {
    node["comments"] ??= [];
  }
  return node;
}

function place(parent: Slot, offset: number, comment: string, text: string): void {
  const children = parent.children ?? [];
  const next = children.findIndex((node) => node.span.end > offset);
  const before = children[(next < 0 ? children.length : next) - 1];
  if (before !== undefined && !text.slice(before.span.end, offset).includes("\n")) {
    before.trailing = before.trailing === undefined ? comment : `${before.trailing} ${comment}`;
    return;
  }

  const node = children[next];
  if (node === undefined) {
    (parent.endComments ?? (parent.comments ??= [])).push(comment);
  } else if (!placeInside(node, offset, comment, text)) {
    (node.comments ??= []).push(comment);
  }
}

function placeInside(node: Slot, offset: number, comment: string, text: string): boolean {
  if (node.children === undefined || offset <= node.span.offset) return false;
  place(node, offset, comment, text);
  return true;
}
