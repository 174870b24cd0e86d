import type { Clause, Declaration, GrantDecl, PolicyDocument } from "../model.js";
import {
  commentLines,
  days,
  duration,
  flagValue,
  list,
  quote,
  stringValue,
  timestamp,
  trailing,
} from "./print-values.js";

const INDENT = "  ";

/** Canonical order of clauses inside a grant (the language reference lists it too). */
export const CLAUSE_ORDER: readonly Clause["kind"][] = [
  "principal",
  "resources",
  "actions",
  "justification",
  "expires",
  "max-lifetime",
  "network",
  "window",
  "flag",
  "artifact",
  "step-up-on",
  "step-up-when",
];

/** Prints a document in the one canonical layout. */
export function printDocument(doc: PolicyDocument): string {
  const out: string[] = commentLines(doc.headComments, "");
  if (out.length > 0 && doc.declarations.length > 0) out.push("");
  let previous: Declaration | undefined;
  for (const decl of doc.declarations) {
    if (previous !== undefined && needsBlankLine(previous, decl)) out.push("");
    out.push(...commentLines(decl.comments, ""));
    out.push(`${declaration(decl)}${trailing(decl)}`);
    previous = decl;
  }
  if (doc.endComments.length > 0) {
    if (out.length > 0) out.push("");
    out.push(...commentLines(doc.endComments, ""));
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

function needsBlankLine(previous: Declaration, next: Declaration): boolean {
  return previous.kind !== "include" || next.kind !== "include" || (next.comments?.length ?? 0) > 0;
}

function declaration(decl: Declaration): string {
  if (decl.kind === "include") return `include ${quote(decl.path.value)}`;

  if (decl.kind === "group") {
    const lead = `group ${decl.groupKind} @${decl.name.value} = `;
    return list(lead, decl.members, "");
  }
  return grant(decl);
}

function grant(decl: GrantDecl): string {
  const rank = (c: Clause) => CLAUSE_ORDER.indexOf(c.kind);
  const clauses = [...decl.clauses].sort((a, b) => rank(a) - rank(b));
  const lines = [`grant ${decl.id.value} {`];
  for (const c of clauses) {
    lines.push(...commentLines(c.comments, INDENT));
    lines.push(`${INDENT}${clause(c)}${trailing(c)}`);
  }
  lines.push(...commentLines(decl.endComments, INDENT));
  lines.push("}");
  return lines.join("\n");
}

function clause(c: Clause): string {
  switch (c.kind) {
    case "principal":
      const id = "kind" in c.id ? `@${c.id.name}` : quote(c.id.value);
      return `principal ${c.principalClass.value} ${id}`;
    case "resources":
      return list("resources ", c.items, INDENT);
    case "actions":
      return list("actions ", c.items, INDENT, true);
    case "justification":
      return `justification ${quote(c.ref.value)} ${stringValue(c.text.value, INDENT)}`;
    case "expires":
      return `expires ${timestamp(c.at)}`;
    case "max-lifetime":
      return `max-lifetime ${duration(c.seconds)}`;
    case "network":
      return list("network ", c.items, INDENT);
    case "window":
      return `window ${days(c.days)} ${c.start.value}-${c.end.value} in ${quote(c.tz.value)}`;
    case "flag":
      return `flag ${quote(c.name.value)} = ${flagValue(c.value)}`;
    case "artifact":
      return `artifact ${quote(c.digest.value)}`;
    case "step-up-on":
      return list("step-up on ", c.items, INDENT, true);
    case "step-up-when":
      return `step-up when flag ${quote(c.name.value)} = ${flagValue(c.value)}`;
  }
}
