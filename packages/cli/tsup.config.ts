import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", bin: "src/bin.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // The broker command finds `pulse-broker` through `import.meta.url`, in the CJS build too.
  shims: true,
  target: "node20",
});
