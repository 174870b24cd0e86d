import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    scope: "src/scope.ts",
    node: "src/node.ts",
    testing: "src/testing.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
