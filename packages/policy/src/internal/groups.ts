import type { GroupDecl, GroupRef, PolicyDocument } from "../model.js";
import { checkCidr, checkPrincipalId } from "./checks.js";
import type { DiagnosticList } from "./diagnostics.js";

/** Every declared group, by name, and which of them a grant used. */
export interface GroupTable {
  readonly groups: ReadonlyMap<string, GroupDecl>;
  readonly used: Set<string>;
  /** Members of `ref` if it names a visible group of `kind`; reports and returns `[]` if not. */
  resolve(ref: GroupRef, kind: GroupDecl["groupKind"], from: string): string[];
}

/** Collects and checks group declarations across all files. */
export function collectGroups(
  documents: ReadonlyMap<string, PolicyDocument>,
  visible: ReadonlyMap<string, ReadonlySet<string>>,
  diagnostics: DiagnosticList,
): GroupTable {
  const groups = new Map<string, GroupDecl>();
  // @office and @Office would read as one group in a review; they may not both exist.
  const folded = new Map<string, GroupDecl>();
  for (const doc of documents.values()) {
    for (const decl of doc.declarations) {
      if (decl.kind !== "group") continue;
      const alike = folded.get(decl.name.value.toLowerCase());
      if (alike !== undefined && alike.name.value !== decl.name.value) {
        const where = `${alike.span.file}:${alike.span.line}`;
        const why =
          `group @${decl.name.value} differs only in case from ` +
          `@${alike.name.value} (${where})`;
        diagnostics.error("group-name-collision", why, decl.name.span);
        continue;
      }
      folded.set(decl.name.value.toLowerCase(), decl);
      const earlier = groups.get(decl.name.value);
      if (earlier !== undefined) {
        const where = `${earlier.span.file}:${earlier.span.line}`;
        const why = `group @${decl.name.value} is already declared at ${where}`;
        diagnostics.error("duplicate-group", why, decl.name.span);
        continue;
      }
      checkMembers(decl, diagnostics);
      groups.set(decl.name.value, decl);
    }
  }

  const used = new Set<string>();
  const resolve = (ref: GroupRef, kind: GroupDecl["groupKind"], from: string): string[] => {
    const group = groups.get(ref.name);
    if (group === undefined) {
      diagnostics.error("unknown-group", `unknown group @${ref.name}`, ref.span);
      return [];
    }
    used.add(ref.name);
    if (group.groupKind !== kind) {
      const why = `@${ref.name} is a group of ${group.groupKind}, expected a group of ${kind}`;
      diagnostics.error("wrong-group-kind", why, ref.span);
      return [];
    }
    if (!(visible.get(from)?.has(group.span.file) ?? false)) {
      const where = group.span.file;
      const why = `group @${ref.name} is declared in ${where}, which ${from} does not include`;
      diagnostics.error("group-not-included", why, ref.span);
      return [];
    }
    return group.members.map((m) => m.value);
  };
  return { groups, used, resolve };
}

function checkMembers(decl: GroupDecl, diagnostics: DiagnosticList): void {
  if (decl.members.length === 0) {
    diagnostics.error("empty-group", `group @${decl.name.value} has no members`, decl.name.span);
  }
  const seen = new Set<string>();
  for (const member of decl.members) {
    if (seen.has(member.value)) {
      diagnostics.error("duplicate-member", `${member.value} is listed twice`, member.span);
    }
    seen.add(member.value);
    if (decl.groupKind === "networks") {
      const why = checkCidr(member.value);
      if (why !== undefined) diagnostics.error("invalid-cidr", why, member.span);
    } else {
      const why = checkPrincipalId(member.value);
      if (why !== undefined) diagnostics.error("invalid-principal", why, member.span);
    }
  }
}
