// What the guard costs on top of the embedded file store, measured in one run: unguarded
// `get` is the baseline, guarded `get` (verifier check, cached token) is compared with it.
// Run `npm run build -w @pulse/vault` first. Prints ratios, asserts nothing.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVerifier, exportJwks, generateSigningKey, mint, noRevocation } from "@pulse/core";
import { runWithToken } from "@pulse/core/scope";
import { createFileSecretStore, guardSecrets } from "@pulse/vault";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const directory = await mkdtemp(join(tmpdir(), "pulse-vault-bench-"));

try {
  const store = createFileSecretStore({ directory, key: randomBytes(32) });
  await store.put("app/billing/db", { user: "billing", password: "bench" });

  const key = await generateSigningKey();
  const issuer = "https://broker.bench";
  const verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer,
    audience: "vault",
    revocation: noRevocation(),
  });
  const token = await mint(
    {
      iss: issuer,
      sub: "svc:bench",
      aud: "vault",
      pcl: "service",
      cap: [{ res: "vault://secret/app/billing/*", act: ["read"] }],
      jus: { ref: "BENCH", txt: "Benchmark" },
      grt: { id: "bench", ver: "sha256:bench" },
      lifetimeSeconds: 600,
    },
    key,
  );
  const guarded = guardSecrets(store, { verifier, mount: "secret" });

  async function pass(fn) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1000 / ROUNDS;
  }

  const cases = [
    ["file store get (baseline)", () => store.get("app/billing/db")],
    ["guarded get", () => runWithToken(token, () => guarded.get("app/billing/db"))],
    [
      "guarded get, denied",
      () => runWithToken(token, () => guarded.get("app/billing-admin/root").catch(() => 0)),
    ],
  ];
  // Passes alternate between cases so that warm-up and disk cache favour none; the median of
  // five passes is reported.
  const samples = cases.map(() => []);
  for (let round = 0; round < 6; round++) {
    for (const [i, [, fn]] of cases.entries()) {
      const micros = await pass(fn);
      if (round > 0) samples[i].push(micros);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = cases.map(([label], i) => ({ label, micros: median(samples[i]) }));
  const base = rows[0];

  for (const row of rows) {
    const ratio = (row.micros / base.micros).toFixed(2);
    console.log(`${row.label.padEnd(28)} ${row.micros.toFixed(1).padStart(8)} µs/op  ${ratio}x`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
