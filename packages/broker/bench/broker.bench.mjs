// Tokens issued per second by one broker process (autocannon on loopback, 5 s per run).
// Baseline from the same run: the same broker serving its JWKS, so the ratio shows what
// authentication + policy evaluation + signing + the issuance log cost per request.
import autocannon from "autocannon";
import { benchIdentityProvider } from "./idp.mjs";
import { startBrokerProcess } from "./start-broker.mjs";

const DURATION_S = 5;
const idp = await benchIdentityProvider();
const broker = await startBrokerProcess({ idpJwk: idp.jwk, storeUrl: process.env.PULSE_PG_URL });
const store = process.env.PULSE_PG_URL ? "PostgreSQL" : "PGlite (in the broker process)";

function run(options) {
  return autocannon({ connections: 16, pipelining: 1, duration: DURATION_S, ...options });
}

try {
  const jwks = await run({ url: `${broker.url}/.well-known/jwks.json` });
  const tokens = await run({
    url: `${broker.url}/v1/tokens`,
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await idp.assertion("svc:bench")}`,
    },
    body: JSON.stringify({
      audience: "s3",
      requests: [{ resource: "s3://acme/team-a/report.csv", action: "read" }],
    }),
  });
  const ok = (r) => r["2xx"] / DURATION_S;
  console.log(`store: ${store}; ${DURATION_S} s per run, 16 connections`);
  console.log(`JWKS baseline:  ${ok(jwks).toFixed(0)} req/s (non-2xx: ${jwks.non2xx})`);
  console.log(
    `POST /v1/tokens: ${ok(tokens).toFixed(0)} tokens/s, ` +
      `p50 ${tokens.latency.p50} ms, p99 ${tokens.latency.p99} ms ` +
      `(non-2xx: ${tokens.non2xx}, errors: ${tokens.errors})`,
  );
  const cost = ok(jwks) / ok(tokens);
  console.log(`issuing a token costs ${cost.toFixed(1)}x a JWKS GET (same process, same run)`);
} finally {
  await broker.stop();
}
