// Cost of one decision, cold (signature verified) and warm (verified-token cache hit), each as a
// ratio against a bare node:crypto Ed25519 verification of the same token bytes, measured in
// this same run. Reports medians over batches so a stray GC pause does not move the figure.
import { createPublicKey, verify } from "node:crypto";
import {
  createVerifier,
  exportJwks,
  generateSigningKey,
  mint,
  noRevocation,
} from "../dist/index.js";

const BATCHES = 25;
const PER_BATCH = 200;

async function medianMicros(fn) {
  for (let i = 0; i < PER_BATCH; i++) await fn(); // warm-up
  const perOp = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_BATCH; i++) await fn();
    perOp.push(Number(process.hrtime.bigint() - start) / 1000 / PER_BATCH);
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)];
}

const key = await generateSigningKey();
const jwks = exportJwks([key]);
const common = {
  keys: jwks,
  issuer: "https://broker.bench",
  audience: "s3",
  revocation: noRevocation(),
};
const token = await mint(
  {
    iss: "https://broker.bench",
    sub: "svc:bench",
    aud: "s3",
    pcl: "service",
    cap: [{ res: "s3://acme-reports/team-a/*", act: ["read"] }],
    ctx: { cidr: ["10.20.0.0/16"] },
    jus: { ref: "BENCH-1", txt: "benchmark" },
    grt: { id: "bench", ver: "sha256:bench" },
    lifetimeSeconds: 900,
  },
  key,
);
const request = { resource: "s3://acme-reports/team-a/q1.csv", action: "read" };
const options = { context: { sourceIp: "10.20.1.5" } };

const [head, body, sig] = token.split(".");
const signingInput = Buffer.from(`${head}.${body}`);
const signature = Buffer.from(sig, "base64url");
const publicKey = createPublicKey({ key: key.publicJwk, format: "jwk" });

const cold = await createVerifier({ ...common, cacheSize: 0 });
const warm = await createVerifier(common);

const results = [
  [
    "node:crypto Ed25519 verify (baseline)",
    await medianMicros(() => verify(null, signingInput, publicKey, signature)),
  ],
  [
    "decision, cold (signature verified)",
    await medianMicros(() => cold.check(token, request, options)),
  ],
  [
    "decision, warm (verified-token cache)",
    await medianMicros(() => warm.check(token, request, options)),
  ],
];

for (const verifier of [cold, warm]) {
  const decision = await verifier.check(token, request, options);
  if (decision.outcome !== "allow")
    throw new Error(`benchmark token was not allowed: ${decision.reason}`);
}

const base = results[0][1];
console.log(`\n@pulse/core verify benchmark (median of ${BATCHES} batches x ${PER_BATCH})\n`);
console.log(`${"case".padEnd(40)} ${"µs/op".padStart(8)} ${"x baseline".padStart(11)}`);
for (const [name, micros] of results) {
  console.log(
    `${name.padEnd(40)} ${micros.toFixed(2).padStart(8)} ` +
      `${(micros / base).toFixed(2).padStart(11)}`,
  );
}
console.log(`\ncold / warm: ${(results[1][1] / results[2][1]).toFixed(1)}x`);
