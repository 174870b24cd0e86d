import type { Declaration, PolicyDocument } from "../model.js";

/** A comment as the grammar collects it: its text after `#` and where it starts. */
export interface RawComment {
  readonly text: string;
  readonly offset: number;
}

/** What the generated parser returns: declarations without comments, and every comment. */
export interface RawDocument {
  readonly file: string;
  readonly declarations: Declaration[];
  readonly comments: RawComment[];
}

// A node that can hold comments, with its children (grant clauses, list items) in source order.
interface Slot {
  span: { offset: number; end: number };
  comments?: string[];
  trailing?: string;
  children?: Slot[];
  endComments?: string[];
  node: Record<string, unknown>;
}

/**
 * Places each comment on the most specific node: a comment that ends the line of a node (a list
 * item, a clause, a declaration) trails it; any other comment goes before the next node at its
 * depth. A comment after the last node of a grant or a file is kept at the end of that block;
 * comments at the top of the file set apart by a blank line are the file's head comments.
 *
 * Linear in the size of the file (plus a log factor): policy files may be large.
 */
export function attachComments(raw: RawDocument, text: string): PolicyDocument {
  const seen = new Map<number, string>();
  for (const c of raw.comments) seen.set(c.offset, c.text.trimEnd());
  const comments = [...seen].sort((a, b) => a[0] - b[0]);

  const lines = new LineIndex(text);
  const root: Slot = { span: { offset: 0, end: text.length }, endComments: [], node: {} };
  root.children = raw.declarations.map((d) => slotOf(d));

  const firstStart = raw.declarations[0]?.span.offset ?? text.length;
  const headEnd = lastBlankLine(text, firstStart);
  const headComments: string[] = [];
  for (const [offset, comment] of comments) {
    if (offset < headEnd) headComments.push(comment);
    else place(root, offset, comment, lines);
  }
  const declarations = root.children.map(unslot) as Declaration[];
  return { file: raw.file, headComments, declarations, endComments: root.endComments! };
}

/** Where the last blank line before `end` starts, or -1. */
function lastBlankLine(text: string, end: number): number {
  const blank = /\n[ \t\r]*\n/g;
  let last = -1;
  for (let m = blank.exec(text); m !== null && m.index < end; m = blank.exec(text)) {
    if (m.index + m[0].length > end) break;
    last = m.index;
    blank.lastIndex = m.index + 1;
  }
  return last;
}

class LineIndex {
  private readonly breaks: number[] = [];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.breaks.push(i);
  }

  /** 0-based line of `offset`: how many line breaks come before it. */
  lineOf(offset: number): number {
    return firstAtLeast(this.breaks, offset, (b) => b);
  }
}

/** Index of the first item whose key is at least `value` (items sorted by key). */
function firstAtLeast<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(items[mid]!) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function slotOf(node: object): Slot {
  const n = node as Record<string, unknown>;
  const slot: Slot = { span: n["span"] as Slot["span"], node: { ...n } };
  const list = (n["clauses"] ?? n["members"] ?? n["items"]) as object[] | undefined;
  if (Array.isArray(list)) slot.children = list.map((c) => slotOf(c));
  if (n["kind"] === "grant") slot.endComments = [];
  return slot;
}

function unslot(slot: Slot): unknown {
  const node = { ...slot.node };
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

function place(parent: Slot, offset: number, comment: string, lines: LineIndex): void {
  const children = parent.children ?? [];
  // Children are in source order and do not overlap, so their ends are sorted.
  const next = firstAtLeast(children, offset + 1, (c) => c.span.end);
  const before = children[next - 1];
  if (before !== undefined && lines.lineOf(before.span.end) === lines.lineOf(offset)) {
    before.trailing = before.trailing === undefined ? comment : `${before.trailing} ${comment}`;
    return;
  }

  const node = children[next];
  if (node === undefined) {
    (parent.endComments ?? (parent.comments ??= [])).push(comment);
  } else if (node.children !== undefined && offset > node.span.offset) {
    place(node, offset, comment, lines);
  } else {
    (node.comments ??= []).push(comment);
  }
}
