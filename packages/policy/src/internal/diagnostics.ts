import type { Diagnostic } from "../errors.js";
import type { Span } from "../model.js";
import { excerpt } from "./excerpt.js";

/** Collects diagnostics for a set of files whose text it knows (for the excerpts). */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  private readonly texts: ReadonlyMap<string, string>;

  constructor(texts: ReadonlyMap<string, string>) {
    this.texts = texts;
  }

  error(rule: string, message: string, at: Span): void {
    this.add("error", rule, message, at);
  }

  warning(rule: string, message: string, at: Span): void {
    this.add("warning", rule, message, at);
  }

  add(severity: Diagnostic["severity"], rule: string, message: string, at: Span): void {
    const text = this.texts.get(at.file) ?? "";
    const shown = excerpt(text, at.line, at.column);
    const { file, line, column } = at;
    this.items.push({ severity, rule, message, file, line, column, excerpt: shown });
  }

  push(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
}

/** Sorts diagnostics by file, line and column, keeping the order of equal positions. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
