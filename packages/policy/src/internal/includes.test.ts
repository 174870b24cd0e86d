import { describe, expect, it } from "vitest";
import type { IncludeDecl } from "../model.js";
import { DiagnosticList } from "./diagnostics.js";
import { reportCycles } from "./includes.js";

function include(file: string, to: string): { to: string; decl: IncludeDecl } {
  const span = { file, line: 1, column: 1, offset: 0, end: 1 };
  const decl = { kind: "include", path: { value: to, span } } as unknown as IncludeDecl;
  return { to, decl };
}

describe("include-chain-overflows-the-stack", () => {
  it("a chain of 50 000 includes ending in a cycle is walked and the cycle reported", () => {
    const count = 50_000;
    const edges = new Map<string, Array<{ to: string; decl: IncludeDecl }>>();
    for (let i = 0; i < count; i++) {
      const to = i + 1 < count ? `f${i + 1}.pulse` : "f0.pulse";
      edges.set(`f${i}.pulse`, [include(`f${i}.pulse`, to)]);
    }
    const texts = new Map([...edges.keys()].map((file) => [file, `include "x"\n`]));
    const diagnostics = new DiagnosticList(texts);
    reportCycles(edges, diagnostics);
    expect(diagnostics.items.map((d) => d.rule)).toEqual(["include-cycle"]);
  });

  it("a diamond is not a cycle", () => {
    const edges = new Map([
      ["a", [include("a", "b"), include("a", "c")]],
      ["b", [include("b", "d")]],
      ["c", [include("c", "d")]],
      ["d", []],
    ]);
    const diagnostics = new DiagnosticList(new Map());
    reportCycles(edges, diagnostics);
    expect(diagnostics.items).toEqual([]);
  });
});
