// Runs one broker in its own process for the benches. The parent passes its settings in the
// PULSE_BENCH environment variable (JSON) and receives the broker's URL over IPC.
import { compilePolicy, evaluate } from "@pulse/policy";
import { createBroker, createPostgresPublisher, createRedisPublisher } from "../dist/index.js";

const settings = JSON.parse(process.env.PULSE_BENCH ?? "{}");
const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
const text = `grant bench {
  principal service "svc:bench"
  resources ["s3://acme/team-a/*"]
  actions [read, list]
  justification "BENCH-1" "Benchmark grant."
  expires ${expires}
  max-lifetime 5m
}
`;
const publishers = [];
if (settings.redisUrl)
  publishers.push(createRedisPublisher({ url: settings.redisUrl, channel: settings.channel }));
if (settings.pgUrl)
  publishers.push(createPostgresPublisher({ url: settings.pgUrl, channel: settings.channel }));

const broker = createBroker({
  issuer: "https://broker.bench",
  policy: { set: compilePolicy([{ file: "bench.pulse", text }]), evaluate },
  identity: {
    issuers: [
      { issuer: "https://idp.bench", jwks: { keys: [settings.idpJwk] }, audience: "pulse-broker" },
    ],
  },
  revocationAdmins: ["svc:security"],
  publishers,
  ...(settings.storeUrl && { storeUrl: settings.storeUrl }),
});
const url = await broker.listen({ host: "127.0.0.1", port: 0 });
process.send({ url });
process.on("disconnect", () => {
  broker.close().finally(() => process.exit(0));
});
