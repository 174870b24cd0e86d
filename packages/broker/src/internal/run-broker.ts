import { parseArgs } from "node:util";
import type { Logger } from "@pulse/core";
import { evaluate, loadPolicy } from "@pulse/policy";
import type { Broker, RevocationAdmin } from "../broker.js";
import { createBroker } from "../broker.js";
import { PulseBrokerError } from "../errors.js";
import type { IdentityOptions } from "../identity.js";
import { loadKeyDirectory } from "../key-files.js";
import type { RevocationPublisher } from "../publisher.js";
import { createPostgresPublisher, createRedisPublisher } from "../publisher.js";
import type { BrokerStore } from "../store.js";
import { openStore } from "../store.js";
import { readJsonConfig } from "./config-file.js";

/** The command line usage of `pulse-broker`. */
export const USAGE = `usage: pulse-broker --policy DIR --keys DIR --listen HOST:PORT
  [--identity FILE] [--data DIR] [--trusted-proxy CIDR]... [--revocation-admin ADMIN]...
ADMIN is {"issuer":"…","principalClass":"service","id":"…"} ("development" as issuer for
development keys), or a bare principal id when the broker has exactly one identity source.`;

function usage(message: string): never {
  throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", message);
}

function revocationAdmin(text: string): RevocationAdmin | string {
  if (!text.startsWith("{")) return text;

  try {
    return JSON.parse(text) as RevocationAdmin;
  } catch {
    return usage("--revocation-admin is neither a principal id nor a JSON object");
  }
}

function listenAddress(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(":");
  const host = text.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(text.slice(colon + 1));
  if (colon < 1 || !Number.isInteger(port) || port < 0 || port > 65535) {
    usage(`bad --listen ${text}`);
  }
  return { host, port };
}

/** A started command-line broker and the store it opened. */
export interface RunningBroker {
  readonly broker: Broker;
  stop(): Promise<void>;
}

/**
 * Starts the broker from command-line arguments and environment variables (see `bin.ts`).
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_OPTIONS` for bad arguments.
 */
export async function runBroker(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<RunningBroker> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      policy: { type: "string" },
      keys: { type: "string" },
      listen: { type: "string", default: "127.0.0.1:8600" },
      identity: { type: "string" },
      data: { type: "string" },
      "trusted-proxy": { type: "string", multiple: true, default: [] },
      "revocation-admin": { type: "string", multiple: true, default: [] },
    },
  });
  if (values.policy === undefined) usage("--policy DIR is required");

  if (values.keys === undefined) usage("--keys DIR is required");

  const passphrase = env.PULSE_BROKER_KEY_PASSPHRASE;
  if (passphrase === undefined) usage("PULSE_BROKER_KEY_PASSPHRASE is not set");

  const at = listenAddress(values.listen);
  const admins = values["revocation-admin"].map(revocationAdmin);
  const identity =
    values.identity === undefined
      ? {}
      : ((await readJsonConfig(values.identity, "--identity")) as IdentityOptions);
  const pgUrl = env.PULSE_PG_URL;
  const redisUrl = env.PULSE_REDIS_URL;
  const publishers: RevocationPublisher[] = [];
  if (redisUrl) publishers.push(createRedisPublisher({ url: redisUrl }));
  else if (pgUrl) publishers.push(createPostgresPublisher({ url: pgUrl }));

  const policy = await loadPolicy(values.policy);
  const keys = await loadKeyDirectory(values.keys, passphrase);
  const store: BrokerStore = await openStore(
    pgUrl ? { url: pgUrl } : values.data ? { dataDir: values.data } : {},
  );
  let broker: Broker;
  try {
    broker = createBroker({
      issuer: env.PULSE_BROKER_ISSUER ?? `http://${values.listen}`,
      policy: { set: policy, evaluate },
      identity,
      keys,
      store,
      publishers,
      trustedProxies: values["trusted-proxy"],
      revocationAdmins: admins,
      logger,
    });
    await broker.listen(at);
  } catch (error) {
    await store.close();
    throw error;
  }
  logger.info?.("pulse-broker listening", { url: broker.url, policyVersion: policy.version });
  return {
    broker,
    stop: async () => {
      await broker.close();
      await store.close();
    },
  };
}
