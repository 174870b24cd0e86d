import { posix } from "node:path";
import type { IncludeDecl, PolicyDocument } from "../model.js";
import type { DiagnosticList } from "./diagnostics.js";

/** Normalises a policy file name to a relative POSIX path, or `undefined` if it escapes. */
export function normaliseFile(file: string): string | undefined {
  const slashed = file.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed)) return undefined;
  const normal = posix.normalize(slashed);
  if (normal === ".." || normal.startsWith("../") || normal === ".") return undefined;
  return normal;
}

/** The file an include names, relative to the policy root, or why it cannot be. */
export function resolveInclude(from: string, include: string): { file?: string; why?: string } {
  if (include === "") return { why: "an include names a file" };
  if (include.startsWith("/") || /^[A-Za-z]:[\\/]/.test(include)) {
    return { why: `include "${include}" is absolute: includes are relative to the including file` };
  }
  const file = normaliseFile(posix.join(posix.dirname(from), include));
  if (file === undefined) return { why: `include "${include}" escapes the policy root` };
  return { file };
}

/**
 * Resolves every include, reports missing files, escapes and cycles, and returns for each file
 * the set of files it can see: itself and everything it includes, transitively.
 */
export function linkIncludes(
  documents: ReadonlyMap<string, PolicyDocument>,
  refused: ReadonlyMap<string, string>,
  diagnostics: DiagnosticList,
): Map<string, Set<string>> {
  const edges = new Map<string, Array<{ to: string; decl: IncludeDecl }>>();
  for (const [file, doc] of documents) {
    const out: Array<{ to: string; decl: IncludeDecl }> = [];
    for (const decl of doc.declarations) {
      if (decl.kind !== "include") continue;
      const target = resolveInclude(file, decl.path.value);
      if (target.file === undefined) {
        diagnostics.error("include-outside-root", target.why!, decl.path.span);
      } else if (refused.has(target.file)) {
        diagnostics.error("include-outside-root", refused.get(target.file)!, decl.path.span);
      } else if (!documents.has(target.file)) {
        const why = `included file ${target.file} not found`;
        diagnostics.error("include-not-found", why, decl.path.span);
      } else {
        out.push({ to: target.file, decl });
      }
    }
    edges.set(file, out);
  }

  reportCycles(edges, diagnostics);

  const visible = new Map<string, Set<string>>();
  for (const file of documents.keys()) {
    const seen = new Set<string>([file]);
    const stack = [file];
    while (stack.length > 0) {
      for (const edge of edges.get(stack.pop()!) ?? []) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          stack.push(edge.to);
        }
      }
    }
    visible.set(file, seen);
  }
  return visible;
}

export function reportCycles(
  edges: ReadonlyMap<string, ReadonlyArray<{ to: string; decl: IncludeDecl }>>,
  diagnostics: DiagnosticList,
): void {
  const state = new Map<string, "open" | "done">();

  // Depth-first, with an explicit stack: include chains may be thousands of files long, and a
  // recursive walk would run out of call stack before it found anything wrong.
  for (const root of [...edges.keys()].sort()) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, "open");

    while (path.length > 0) {
      const file = path[path.length - 1]!;
      const out = edges.get(file) ?? [];
      const index = next[next.length - 1]!;
      if (index >= out.length) {
        state.set(file, "done");
        path.pop();
        next.pop();
        continue;
      }

      next[next.length - 1] = index + 1;
      const edge = out[index]!;
      const seen = state.get(edge.to);
      if (seen === "open") {
        const loop = [...path.slice(path.indexOf(edge.to)), edge.to].join(" -> ");
        diagnostics.error("include-cycle", `include cycle: ${loop}`, edge.decl.path.span);
      } else if (seen === undefined) {
        state.set(edge.to, "open");
        path.push(edge.to);
        next.push(0);
      }
    }
  }
}
