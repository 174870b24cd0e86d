import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeText } from "./analyze.js";
import { EXPRESSION_HANDLERS } from "./expression-handlers.js";
import { loadParser } from "./parser.js";
import { Refusal } from "./refusal.js";
import { STATEMENT_HANDLERS } from "./statement-handlers.js";
import { TreeWalker } from "./tree-walker.js";

const SETTINGS = {
  database: "appdb",
  searchPath: ["public"],
  allowMultipleStatements: false,
  maxQueryLength: 100_000,
};

function walk(tree: unknown): Refusal | TreeWalker {
  const walker = new TreeWalker({ ...STATEMENT_HANDLERS, ...EXPRESSION_HANDLERS });
  try {
    walker.visit(tree);
    return walker;
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}

const select = (val: unknown) => ({
  SelectStmt: { targetList: [{ ResTarget: { val } }], op: "SETOP_NONE" },
});

beforeAll(loadParser);

describe("TreeWalker", () => {
  it("unknown-node-type-denied: a node type it does not know is refused, not skipped", () => {
    const result = walk(select({ FancyNewNode: { relation: { relname: "secret" } } }));
    expect(result).toBeInstanceOf(Refusal);
    expect((result as Refusal).reason).toBe("unsupported-operation");
  });

  it("unknown-field-denied: an unknown field on a known node is refused", () => {
    const result = walk(select({ ColumnRef: { fields: [], hiddenRelation: { relname: "x" } } }));
    expect((result as Refusal).reason).toBe("unsupported-operation");
  });

  it("finds a relation under a known node", () => {
    const tree = select({
      SubLink: {
        subLinkType: "EXPR_SUBLINK",
        subselect: { SelectStmt: { fromClause: [{ RangeVar: { relname: "t" } }] } },
      },
    });
    const result = walk(tree) as TreeWalker;
    expect(result.relations.map((r) => r.name)).toEqual(["t"]);
  });

  it("deep-nesting-denied: deeply nested SQL is denied, never a crash", () => {
    const deep = `SELECT ${"(SELECT ".repeat(2000)}1${")".repeat(2000)}`;
    const result = analyzeText(deep, SETTINGS);
    expect(result.ok).toBe(false);
  });

  it("over-long-text-malformed: a text over maxQueryLength is malformed", () => {
    const result = analyzeText(`SELECT '${"x".repeat(200_000)}'`, SETTINGS);
    expect(result).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("non-string-text-malformed: a query that is not a string is malformed", () => {
    expect(analyzeText(42, SETTINGS)).toMatchObject({ ok: false, reason: "malformed" });
    expect(analyzeText(undefined, SETTINGS)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = analyzeText(text, SETTINGS);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on SQL-like text", () => {
    const word = fc.constantFrom(
      "SELECT",
      "FROM",
      "WHERE",
      "WITH",
      "AS",
      "(",
      ")",
      "t",
      "hr.s",
      "DELETE",
      "INSERT",
      "INTO",
      "UNION",
      "FOR UPDATE",
      ",",
      "1",
      "*",
      "JOIN",
      "ON",
      "true",
      "LATERAL",
      "f(x)",
      ";",
      "$1",
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 25 }), (words) => {
        const result = analyzeText(words.join(" "), SETTINGS);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });
});

describe("nesting limits", () => {
  it("a nesting depth under the limit is analysed", () => {
    const nested = `SELECT ${"-(".repeat(100)}1${")".repeat(100)} FROM t`;
    expect(analyzeText(nested, SETTINGS)).toMatchObject({ ok: true });
  });

  it("deep-operator-nesting-denied: deep operator nesting is denied with a reason", () => {
    const nested = `SELECT ${"-(".repeat(5000)}1${")".repeat(5000)}`;
    const result = analyzeText(nested, SETTINGS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(["unsupported-operation", "malformed"]).toContain(result.reason);
  });
});
