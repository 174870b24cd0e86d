import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "aws-secrets-manager": "src/aws-secrets-manager.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
