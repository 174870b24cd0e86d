// Median latency of a primary-key SELECT through a bare pg.Pool and through the guarded pool,
// against the same server, with the analysis cache off (cold) and on (warm). Prints ratios to the
// bare baseline measured in the same run. Uses PULSE_PG_URL when set, else PGlite over the wire.
//
//   npm run build -w @pulse/pg && npm run bench -w @pulse/pg
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { createVerifier, exportJwks, generateSigningKey, mint, noRevocation } from "@pulse/core";
import { authorize, runWithToken } from "@pulse/core/scope";
import pg from "pg";
import { guardPool } from "../dist/index.js";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 10);
const PER_ROUND = Number(process.env["BENCH_PER_ROUND"] ?? 300);
const SCHEMA = `pulse_bench_${process.pid}`;
const SQL = `SELECT id, total FROM ${SCHEMA}.items WHERE id = $1`;

async function server() {
  const url = process.env["PULSE_PG_URL"];
  if (url) return { url, kind: "PostgreSQL (PULSE_PG_URL)", stop: async () => {} };
  const db = await PGlite.create();
  const socket = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 8 });
  await socket.start();
  const port = socket.getServerConn().split(":").at(-1);
  const stop = async () => {
    await socket.stop();
    await db.close();
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, kind: "PGlite (embedded)", stop };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function batch(pool, token, samples) {
  await runWithToken(token, async () => {
    for (let i = 0; i < PER_ROUND; i++) {
      const start = process.hrtime.bigint();
      await pool.query(SQL, [(i % 1000) + 1]);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  });
}

const target = await server();
const admin = new pg.Pool({ connectionString: target.url, max: 1 });
const pools = [];
try {
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${SCHEMA}.items (id int PRIMARY KEY, total numeric)`);
  await admin.query(`INSERT INTO ${SCHEMA}.items SELECT g, g FROM generate_series(1, 1000) g`);

  const key = await generateSigningKey();
  const verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: "https://broker.bench",
    audience: "pg:bench",
    revocation: noRevocation(),
  });
  const token = await mint(
    {
      iss: "https://broker.bench",
      sub: "svc:bench",
      aud: "pg:bench",
      pcl: "service",
      cap: [{ res: `pg://bench/${SCHEMA}.items`, act: ["read"] }],
      jus: { ref: "BENCH", txt: "benchmark" },
      grt: { id: "bench", ver: "v1" },
      lifetimeSeconds: 900,
    },
    key,
  );

  const open = () => {
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    pools.push(pool);
    return pool;
  };
  // The floor every adapter pays: core's authorize() for the same request, then the bare pool.
  const authorizeOnly = open();
  const requests = [{ resource: `pg://bench/${SCHEMA}.items`, action: "read" }];
  const variants = {
    bare: open(),
    verify: {
      query: async (text, values) => {
        await authorize({ verifier }, requests, "bench");
        return authorizeOnly.query(text, values);
      },
    },
    cold: guardPool(open(), { verifier, database: "bench", cacheSize: 0 }),
    warm: guardPool(open(), { verifier, database: "bench" }),
  };
  const samples = { bare: [], verify: [], cold: [], warm: [] };

  // Warm-up: connections, the parser module, the verifier's token cache, the server's plan cache.
  for (const pool of Object.values(variants)) await batch(pool, token, []);

  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, pool] of Object.entries(variants)) await batch(pool, token, samples[name]);
  }

  const base = median(samples.bare);
  console.log(`server: ${target.kind}; ${ROUNDS} x ${PER_ROUND} primary-key SELECTs per variant`);
  console.log("variant              median µs   ratio to bare");
  for (const [name, label] of [
    ["bare", "bare pg.Pool"],
    ["verify", "bare + authorize()"],
    ["cold", "guarded, cache off"],
    ["warm", "guarded, cache warm"],
  ]) {
    const m = median(samples[name]);
    console.log(`${label.padEnd(21)}${m.toFixed(1).padStart(9)}   ${(m / base).toFixed(3)}`);
  }
} finally {
  await Promise.all(pools.map((p) => p.end()));
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await admin.end();
  await target.stop();
}
