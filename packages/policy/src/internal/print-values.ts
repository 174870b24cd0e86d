import type { Weekday } from "@pulse/core";
import { WEEKDAYS } from "@pulse/core";
import type { FlagValue, GroupRef, Text } from "../model.js";

/** Widest line the formatter aims for. */
export const WIDTH = 100;

/** A string literal: `"…"` with escapes. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** True when `value` can be written as a `"""` block: several lines, nothing to escape. */
export function fitsBlock(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return (
    value.includes("\n") &&
    !value.includes('"""') &&
    !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)
  );
}

/**
 * A string as it should appear after `lead` on a line indented by `indent`: quoted, or as a
 * `"""` block whose lines and closing delimiter sit at `indent + 2`.
 */
export function stringValue(value: string, indent: string): string {
  if (!fitsBlock(value)) return quote(value);
  const inner = `${indent}  `;
  const lines = value.split("\n").map((line) => (line === "" ? "" : `${inner}${line}`));
  return `"""\n${lines.join("\n")}\n${inner}"""`;
}

/** `true`, `false` or a quoted string. */
export function flagValue(value: FlagValue): string {
  return typeof value === "boolean" ? String(value) : quote(value);
}

/** `# text` lines at `indent`. */
export function commentLines(comments: readonly string[] | undefined, indent: string): string[] {
  return (comments ?? []).map((c) => `${indent}#${c}`);
}

/** ` #text` after a node, or nothing. */
export function trailing(node: { readonly trailing?: string }): string {
  return node.trailing === undefined ? "" : ` #${node.trailing}`;
}

/**
 * `[a, b]` when it fits after `lead` within the width and no item carries a comment, otherwise
 * one item per line with a trailing comma (and its comments).
 */
export function list(
  lead: string,
  items: ReadonlyArray<Text | GroupRef>,
  indent: string,
  bare = false,
): string {
  const texts = items.map((node) =>
    "kind" in node ? `@${node.name}` : bare ? node.value : quote(node.value),
  );
  const flat = `${lead}[${texts.join(", ")}]`;
  const commented = items.some((i) => i.comments !== undefined || i.trailing !== undefined);
  if (items.length === 0 || (!commented && indent.length + flat.length <= WIDTH)) return flat;

  const inner = `${indent}  `;
  const body = items.flatMap((node, i) => [
    ...commentLines(node.comments, inner),
    `${inner}${texts[i]},${trailing(node)}`,
  ]);
  return `${lead}[\n${body.join("\n")}\n${indent}]`;
}

/** Days Monday first; three or more consecutive days as a range (`mon-fri`). */
export function days(list: readonly Weekday[]): string {
  const sorted = WEEKDAYS.filter((d) => list.includes(d));
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      WEEKDAYS.indexOf(sorted[j + 1]!) === WEEKDAYS.indexOf(sorted[j]!) + 1
    )
      j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else parts.push(...sorted.slice(i, j + 1));
    i = j + 1;
  }
  return parts.join(",");
}

/** `2027-03-31` for midnight UTC, `2027-03-31T12:00:00Z` otherwise. */
export function timestamp(iso: string): string {
  const text = new Date(iso).toISOString().replace(/\.000Z$/, "Z");
  return text.endsWith("T00:00:00Z") ? text.slice(0, 10) : text;
}

/** `1h30m`, `15m`, `90s` → hours, minutes, seconds; `0s` for zero. */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h > 0 ? `${h}h` : ""}${m > 0 ? `${m}m` : ""}${s > 0 ? `${s}s` : ""}`;
  return text === "" ? "0s" : text;
}
