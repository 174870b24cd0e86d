// Time from a revocation call until 100 subscribed verifier instances deny the token.
// Transport: Redis pub/sub when PULSE_REDIS_URL is set, else PostgreSQL LISTEN/NOTIFY when
// PULSE_PG_URL is set, else polling every 100 ms. The broker runs in its own process.
// Baseline from the same run: the revocation call's own round trip.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createVerifier } from "@pulse/core";
import { benchIdentityProvider } from "../../broker/bench/idp.mjs";
import { startBrokerProcess } from "../../broker/bench/start-broker.mjs";
import { createRevocationFeed } from "../dist/index.js";

const VERIFIERS = Number(process.env.PULSE_BENCH_VERIFIERS ?? 100);
const ROUNDS = 20;
const redisUrl = process.env.PULSE_REDIS_URL;
const pgUrl = redisUrl ? undefined : process.env.PULSE_PG_URL;
const channel = redisUrl
  ? `pulse:revocations:bench:${randomUUID()}`
  : `pulse_revocations_bench_${randomUUID().slice(0, 8)}`;
const transport = redisUrl
  ? "Redis pub/sub"
  : pgUrl
    ? "PostgreSQL LISTEN/NOTIFY"
    : "polling every 100 ms";

const idp = await benchIdentityProvider();
const broker = await startBrokerProcess({
  idpJwk: idp.jwk,
  redisUrl,
  pgUrl,
  channel,
  storeUrl: process.env.PULSE_PG_URL,
});
const jwks = await (await fetch(`${broker.url}/.well-known/jwks.json`)).json();
const read = { resource: "s3://acme/team-a/report.csv", action: "read" };

let round = { token: "", t0: 0, samples: [], pending: new Set(), done: () => {} };
const instances = [];
for (let i = 0; i < VERIFIERS; i++) {
  const instance = {};
  instance.feed = createRevocationFeed({
    broker: broker.url,
    maxStalenessMs: 60_000,
    pollIntervalMs: redisUrl || pgUrl ? 20_000 : 100,
    ...(redisUrl && { subscribe: { redis: { url: redisUrl, channel } } }),
    ...(pgUrl && { subscribe: { postgres: { url: pgUrl, channel } } }),
    onRevocations: () => void observe(instance),
  });
  await instance.feed.start();
  instance.verifier = await createVerifier({
    keys: jwks,
    issuer: "https://broker.bench",
    audience: "s3",
    revocation: instance.feed,
  });
  instances.push(instance);
}

async function observe(instance) {
  if (!round.pending.has(instance)) return;
  const decision = await instance.verifier.check(round.token, read);
  if (decision.outcome !== "deny" || decision.reason !== "revoked" || !round.pending.has(instance))
    return;
  round.pending.delete(instance);
  round.samples.push(performance.now() - round.t0);
  if (round.pending.size === 0) round.done();
}

async function post(path, body, sub) {
  const res = await fetch(`${broker.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await idp.assertion(sub)}`,
    },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}`);
  return res.json();
}

const all = [];
const slowest = [];
const calls = [];
const caughtUp = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    const { token, jti } = await post(
      "/v1/tokens",
      { audience: "s3", requests: [read] },
      "svc:bench",
    );
    for (const v of instances) {
      const d = await v.verifier.check(token, read);
      if (d.outcome !== "allow") throw new Error(`fresh token not allowed: ${d.reason}`);
    }
    const finished = new Promise((resolve) => {
      round = { token, t0: 0, samples: [], pending: new Set(instances), done: resolve };
    });
    const timeout = setTimeout(() => round.done(), 10_000);
    round.t0 = performance.now();
    const { cursor } = await post("/v1/revocations", { jti }, "svc:security");
    calls.push(performance.now() - round.t0);
    await finished;
    clearTimeout(timeout);
    if (round.pending.size > 0) throw new Error(`${round.pending.size} verifiers never denied`);
    // Each push also makes every feed poll once (after a random wait of up to 250 ms); let
    // those polls end so that every round starts from a quiet broker, as a rare revocation would.
    while (instances.some((v) => BigInt(v.feed.cursor) < BigInt(cursor))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    caughtUp.push(performance.now() - round.t0);
    all.push(...round.samples);
    slowest.push(Math.max(...round.samples));
  }
} finally {
  await Promise.all(instances.map((v) => v.feed.close()));
  await broker.stop();
}

const q = (list, p) => {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
console.log(`transport: ${transport}; ${VERIFIERS} verifiers x ${ROUNDS} revocations`);
console.log(`revocation call round trip (baseline): median ${q(calls, 0.5).toFixed(2)} ms`);
console.log(
  `call -> verifier denies: median ${q(all, 0.5).toFixed(2)} ms, p99 ${q(all, 0.99).toFixed(2)} ms`,
);
console.log(`call -> all ${VERIFIERS} deny: median ${q(slowest, 0.5).toFixed(2)} ms`);
console.log(
  `call -> all ${VERIFIERS} feeds polled past it: median ${q(caughtUp, 0.5).toFixed(2)} ms`,
);
console.log(
  `median time to deny / revocation call round trip: ${(q(all, 0.5) / q(calls, 0.5)).toFixed(2)}` +
    " (with polling, the poll interval dominates)",
);
