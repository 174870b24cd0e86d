import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { formatDocument, formatPolicy, parsePolicy } from "./index.js";
import { documentArbitrary } from "./internal/model-arbitrary.js";
import { CLAUSE_ORDER } from "./internal/printer.js";
import type { PolicyDocument } from "./model.js";

// The model without positions, with empty comment lists dropped and clauses in canonical order:
// what must survive format → parse.
function essence(doc: PolicyDocument): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === "span" || key === "file") continue;
      if (key === "comments" && Array.isArray(inner) && inner.length === 0) continue;
      out[key] = strip(inner);
    }
    if (Array.isArray(out["clauses"])) {
      const rank = (c: { kind: (typeof CLAUSE_ORDER)[number] }) => CLAUSE_ORDER.indexOf(c.kind);
      out["clauses"] = [...(out["clauses"] as Array<{ kind: never }>)].sort(
        (a, b) => rank(a) - rank(b),
      );
    }
    if (Array.isArray(out["days"])) out["days"] = [...(out["days"] as string[])].sort();
    return out;
  };
  return strip(doc);
}

describe("formatter", () => {
  test("round trip: format a generated model, parse it, get the same model", () => {
    fc.assert(
      fc.property(documentArbitrary, (doc) => {
        const text = formatDocument(doc);
        const again = parsePolicy(text, { file: "gen.pulse" });
        expect(essence(again)).toEqual(essence(doc));
      }),
      { numRuns: 400 },
    );
  });

  test("format(format(x)) === format(x) for generated documents", () => {
    fc.assert(
      fc.property(documentArbitrary, (doc) => {
        const once = formatDocument(doc);
        expect(formatPolicy(once)).toBe(once);
      }),
      { numRuns: 400 },
    );
  });

  test("format is idempotent on hand-written, badly laid out text", () => {
    const messy = [
      "#top",
      "",
      'include   "a.pulse"   include "b.pulse"',
      'group networks @n=["10.0.0.0/8" ,"10.1.0.0/16",] # trailing on group',
      "grant   g{actions[read,",
      "   # inside the list",
      "   write]  principal human @team # who",
      '  window sat,sun,mon-wed 22:00-06:00 in "UTC"',
      '  justification "T" """',
      "      text",
      '      """',
      "  # at the end",
      "}",
    ].join("\n");
    const once = formatPolicy(messy);
    expect(once).toBe(
      [
        "#top",
        "",
        'include "a.pulse"',
        'include "b.pulse"',
        "",
        'group networks @n = ["10.0.0.0/8", "10.1.0.0/16"] # trailing on group',
        "",
        "grant g {",
        "  principal human @team # who",
        "  actions [",
        "    read,",
        "    # inside the list",
        "    write,",
        "  ]",
        '  justification "T" "text"',
        '  window mon-wed,sat,sun 22:00-06:00 in "UTC"',
        "  # at the end",
        "}",
        "",
      ].join("\n"),
    );
    expect(formatPolicy(once)).toBe(once);
  });

  test("long lists break one item per line at 100 columns", () => {
    const items = Array.from({ length: 6 }, (_, i) => `"s3://acme-reports/team-${i}/*"`);
    const text = formatPolicy(`grant g {\n  resources [${items.join(", ")}]\n}`);
    expect(text).toContain('  resources [\n    "s3://acme-reports/team-0/*",\n');
    expect(text.split("\n").every((line) => line.length <= 100)).toBe(true);
  });

  test("multi-line text keeps its lines, blank lines and indentation", () => {
    const value = "first\n  indented\n\nlast";
    const doc = parsePolicy(
      formatPolicy(`grant g {\n  justification "R" ${JSON.stringify(value)}\n}`),
    );
    const clause =
      doc.declarations[0]?.kind === "grant" ? doc.declarations[0].clauses[0] : undefined;
    expect(clause?.kind === "justification" && clause.text.value).toBe(value);
  });
});

describe("regressions", () => {
  test("trailing-comment-binds-to-nearest-clause", () => {
    // Two clauses on one line: the comment ending the line belongs to the second.
    const text = 'grant g {\n  actions [read] principal human "ann" # who\n}\n';
    expect(formatPolicy(text)).toBe(
      'grant g {\n  principal human "ann" # who\n  actions [read]\n}\n',
    );
  });

  test("trailing-comment-on-last-list-item", () => {
    const text = 'group networks @n = [\n  "10.0.0.0/8",\n  "10.1.0.0/16", # last\n]\n';
    expect(formatPolicy(text)).toBe(text);
  });

  test("head-comment-keeps-its-blank-line", () => {
    const text = "# file header\n\n# about the grant\ngrant g {\n}\n";
    expect(formatPolicy(text)).toBe(text);
    const doc = parsePolicy(text);
    expect(doc.headComments).toEqual([" file header"]);
    expect(doc.declarations[0]?.comments).toEqual([" about the grant"]);
  });
});

test("the TSDoc example of formatPolicy holds", () => {
  expect(formatPolicy('grant x{principal human "ann" actions[read]}')).toBe(
    'grant x {\n  principal human "ann"\n  actions [read]\n}\n',
  );
});
