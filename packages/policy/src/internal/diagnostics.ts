import type { Diagnostic } from "../errors.js";
import type { Span } from "../model.js";
import { excerptOfLine } from "./excerpt.js";

/** Collects diagnostics for a set of files whose text it knows (for the excerpts). */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  private readonly texts: ReadonlyMap<string, string>;
  private readonly lines = new Map<string, string[]>();
  private errorCount = 0;

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
    let lines = this.lines.get(at.file);
    if (lines === undefined) {
      lines = (this.texts.get(at.file) ?? "").split("\n");
      this.lines.set(at.file, lines);
    }
    const shown = excerptOfLine(lines[at.line - 1] ?? "", at.line, at.column);
    const { file, line, column } = at;
    this.push({ severity, rule, message, file, line, column, excerpt: shown });
  }

  push(diagnostic: Diagnostic): void {
    if (diagnostic.severity === "error") this.errorCount++;
    this.items.push(diagnostic);
  }

  /** How many errors so far (cheap, for checks after each step). */
  get errorTotal(): number {
    return this.errorCount;
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
