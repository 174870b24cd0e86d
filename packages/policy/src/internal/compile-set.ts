import type { Diagnostic } from "../errors.js";
import { PolicyError } from "../errors.js";
import type { Grant, GrantDecl, PolicyDocument, PolicySet } from "../model.js";
import { byPosition, DiagnosticList } from "./diagnostics.js";
import { collectGroups } from "./groups.js";
import { linkIncludes, normaliseFile } from "./includes.js";
import { lintGrants } from "./lint.js";
import { parseDocument } from "./parse-document.js";
import { validateGrant } from "./validate-grant.js";
import { policyVersion } from "./version.js";

/** How far ahead an expiry may lie, in days, unless configured. */
export const DEFAULT_HORIZON_DAYS = 366;
const DAY_MS = 86_400_000;

export interface CompileOptions {
  readonly now?: Date;
  readonly horizonDays?: number;
}

/** Files the loader refused to read (outside the root), with the reason. */
export type RefusedFiles = ReadonlyMap<string, string>;

/** Parses, links, validates and lints a set of files; throws {@link PolicyError} on errors. */
export function compileSet(
  sources: ReadonlyArray<{ file: string; text: string }>,
  options: CompileOptions,
  refused: RefusedFiles = new Map(),
  early: readonly Diagnostic[] = [],
): PolicySet {
  const now = options.now ?? new Date();
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (Number.isNaN(now.getTime()) || !(horizonDays > 0)) {
    throw new PolicyError("ERR_PULSE_POLICY_INVALID", [optionDiagnostic()]);
  }

  if (!Array.isArray(sources)) {
    const why = "sources must be a list of { file, text }";
    throw new PolicyError("ERR_PULSE_POLICY_INVALID", [
      fileDiagnostic("<sources>", why, "invalid-options"),
    ]);
  }

  const texts = new Map<string, string>();
  const diagnostics = new DiagnosticList(texts);
  for (const d of early) diagnostics.push(d);
  const documents = parseAll(sources, texts, diagnostics);
  if (diagnostics.errorTotal > 0) throw refuse(diagnostics);

  const visible = linkIncludes(documents, refused, diagnostics);
  const groups = collectGroups(documents, visible, diagnostics);
  const limits = { now, horizon: new Date(now.getTime() + horizonDays * DAY_MS) };

  const grants: Array<{ grant: Grant; decl: GrantDecl }> = [];
  const ids = new Map<string, GrantDecl>();
  for (const doc of documents.values()) {
    for (const decl of doc.declarations) {
      if (decl.kind !== "grant") continue;
      const earlier = ids.get(decl.id.value);
      if (earlier !== undefined) {
        const where = `${earlier.span.file}:${earlier.span.line}`;
        const why = `grant ${decl.id.value} is already declared at ${where}`;
        diagnostics.error("duplicate-grant", why, decl.id.span);
      }
      ids.set(decl.id.value, decl);
      const grant = validateGrant(decl, groups, limits, diagnostics);
      if (grant !== undefined) grants.push({ grant, decl });
    }
  }

  if (diagnostics.errorTotal > 0) throw refuse(diagnostics);

  lintGrants(grants, groups, now, diagnostics);
  const sorted = grants
    .map((g) => g.grant)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: policyVersion(sorted),
    grants: sorted,
    warnings: diagnostics.warnings.sort(byPosition),
  };
}

function refuse(diagnostics: DiagnosticList): PolicyError {
  const errors = diagnostics.errors.sort(byPosition);
  const syntaxOnly = errors.every((d) => d.rule === "syntax");
  const io = errors.some((d) => d.rule === "io");
  const code = io
    ? "ERR_PULSE_POLICY_IO"
    : syntaxOnly
      ? "ERR_PULSE_POLICY_SYNTAX"
      : "ERR_PULSE_POLICY_INVALID";
  return new PolicyError(code, [...errors, ...diagnostics.warnings.sort(byPosition)]);
}

function parseAll(
  sources: ReadonlyArray<{ file: string; text: string }>,
  texts: Map<string, string>,
  diagnostics: DiagnosticList,
): Map<string, PolicyDocument> {
  const documents = new Map<string, PolicyDocument>();
  for (const source of sources) {
    const file = normaliseFile(String(source?.file));
    if (file === undefined || texts.has(file)) {
      const why = file === undefined ? "escapes the policy root" : "is given twice";
      diagnostics.push(fileDiagnostic(String(source?.file), `policy file ${why}`));
      continue;
    }
    texts.set(file, source.text);
    try {
      documents.set(file, parseDocument(source.text, file));
    } catch (error) {
      const diagnostic = (error as PolicyError).diagnostics?.[0];
      if (diagnostic === undefined) throw error;
      diagnostics.push(diagnostic);
    }
  }
  return documents;
}

/** A diagnostic about a whole file (position 1:1, no excerpt line). */
export function fileDiagnostic(file: string, message: string, rule = "invalid-file"): Diagnostic {
  return { severity: "error", rule, message, file, line: 1, column: 1, excerpt: "" };
}

function optionDiagnostic(): Diagnostic {
  return fileDiagnostic(
    "<options>",
    "now must be a valid date and horizonDays a positive number",
    "invalid-options",
  );
}
