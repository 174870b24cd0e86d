import { readFile } from "node:fs/promises";
import peggy from "peggy";
import { format } from "prettier";
import { expect, test } from "vitest";

const here = new URL("./", import.meta.url);

test("grammar.generated.js is what Peggy makes of grammar.peggy (`npm run generate`)", async () => {
  const grammar = await readFile(new URL("grammar.peggy", here), "utf8");
  const committed = await readFile(new URL("grammar.generated.js", here), "utf8");
  const fresh = peggy.generate(grammar, {
    output: "source",
    format: "es",
    grammarSource: "src/internal/grammar.peggy",
  });
  // The file may have been through Prettier since it was generated.
  const accepted = [fresh, await format(fresh, { parser: "babel", printWidth: 100 })];
  expect(accepted).toContain(committed);
});
