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
}

const RECONNECT_DELAY_MS = 1000;

/** Subscribes with Redis pub/sub (node-redis) or PostgreSQL LISTEN (node-postgres). */
export function subscribe(spec: RevocationSubscription, handlers: Handlers): Promise<Subscriber> {
  if ("redis" in spec) return redisSubscriber(spec.redis, handlers);
  return postgresSubscriber(spec.postgres, handlers);
}

async function redisSubscriber(
  spec: { readonly url: string; readonly channel?: string },
  handlers: Handlers,
): Promise<Subscriber> {
  const { createClient } = await import("redis");
  const client = createClient({
    url: spec.url,
    socket: { reconnectStrategy: (retries) => Math.min(RECONNECT_DELAY_MS * 2 ** retries, 10_000) },
  });
  let first = true;
  client.on("error", (error) =>
    handlers.logger.warn?.("redis subscriber", { error: String(error) }),
  );
  client.on("ready", () => {
    if (!first) handlers.reconnected();
    first = false;
  });
  await client.connect();
  await client.subscribe(spec.channel ?? "pulse:revocations", (message) =>
    handlers.message(message),
  );
  return { close: () => client.close() };
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
