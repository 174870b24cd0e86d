import type { Logger } from "@pulse/core";
import type { RevocationSubscription } from "../revocation-feed.js";

/** An open push subscription. */
export interface Subscriber {
  close(): Promise<void>;
}

interface Handlers {
  /** A message arrived on the channel. */
  readonly message: (text: string) => void;
  /** The connection came back after a loss: messages may have been missed. */
  readonly reconnected: () => void;
  readonly logger: Logger;
  /** How long to wait for the first connection before going on with polling only. */
  readonly connectWaitMs: number;
}

const RECONNECT_DELAY_MS = 1000;

/** Subscribes with Redis pub/sub (node-redis) or PostgreSQL LISTEN (node-postgres). */
export function subscribe(spec: RevocationSubscription, handlers: Handlers): Promise<Subscriber> {
  if ("redis" in spec) return redisSubscriber(spec.redis, handlers);
  return postgresSubscriber(spec.postgres, handlers);
}

/**
 * node-redis keeps retrying a connection that fails, and its `connect()` stays pending meanwhile;
 * so the subscription is set up in the background and this waits at most `connectWaitMs`.
 * Every `ready` (the first connection and each reconnection) asks the feed to poll, since
 * messages sent while disconnected are lost; node-redis re-subscribes by itself.
 */
async function redisSubscriber(
  spec: { readonly url: string; readonly channel?: string },
  handlers: Handlers,
): Promise<Subscriber> {
  const { createClient } = await import("redis");
  const client = createClient({
    url: spec.url,
    socket: { reconnectStrategy: (retries) => Math.min(RECONNECT_DELAY_MS * 2 ** retries, 10_000) },
  });
  client.on("error", (error) =>
    handlers.logger.warn?.("redis subscriber", { error: String(error) }),
  );
  client.on("ready", () => handlers.reconnected());
  const channel = spec.channel ?? "pulse:revocations";
  const subscribed = client
    .connect()
    .then(() => client.subscribe(channel, (message) => handlers.message(message)));
  subscribed.catch((error: unknown) => {
    handlers.logger.warn?.("redis subscribe failed", { error: String(error) });
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    subscribed.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, handlers.connectWaitMs))),
  ]);
  clearTimeout(timer);
  return { close: async () => (client.isReady ? client.close() : client.destroy()) };
}

async function postgresSubscriber(
  spec: { readonly url: string; readonly channel?: string },
  handlers: Handlers,
): Promise<Subscriber> {
  const { default: pg } = await import("pg");
  const channel = spec.channel ?? "pulse_revocations";
  let closed = false;
  let client: InstanceType<typeof pg.Client> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const open = async () => {
    const c = new pg.Client({ connectionString: spec.url });
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
    });
    c.on("error", (error) => {
      handlers.logger.warn?.("postgres subscriber", { error: String(error) });
    });
    c.on("end", () => {
      if (!closed) retry();
    });
    await c.connect();
    await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    client = c;
  };
  const retry = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      open().then(handlers.reconnected, () => retry());
    }, RECONNECT_DELAY_MS);
    timer.unref();
  };

  await open();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await client?.end();
    },
  };
}
