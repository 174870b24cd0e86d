import type { StoredRevocation } from "./store.js";

/** Default Redis channel for revocation messages, e.g. `createRedisPublisher({ url })`. */
export const DEFAULT_REDIS_CHANNEL = "pulse:revocations";

/** Default PostgreSQL NOTIFY channel, e.g. `LISTEN pulse_revocations` on the verifier side. */
export const DEFAULT_PG_CHANNEL = "pulse_revocations";

/**
 * Pushes each new revocation to subscribed verifiers through an existing engine. A failed push
 * loses nothing: the revocation is already stored, and verifiers catch up by polling.
 *
 * > **Warning:** a push is not signed. `@pulse/client`'s feed applies the revocation it carries
 * > at once and polls when its cursor is ahead, but never moves its cursor or freshness on a
 * > push; still, whoever can publish on the channel can make verifiers deny tokens and poll.
 * > Let only the broker publish there.
 *
 * @example
 * ```ts
 * const log: RevocationPublisher = { publish: async (r) => audit(r), close: async () => {} };
 * ```
 */
export interface RevocationPublisher {
  /** Connects ahead of the first revocation; the broker calls it in `listen()`. */
  start?(): Promise<void>;
  publish(revocation: StoredRevocation): Promise<void>;
  close(): Promise<void>;
}

/**
 * The message carried on the channel: the stored revocation, as JSON (`{ v: 1, cursor,
 * revocation, time }`). `@pulse/client`'s feed reads it.
 *
 * @example
 * ```ts
 * await redis.publish(DEFAULT_REDIS_CHANNEL, encodeRevocationMessage(stored));
 * ```
 */
export function encodeRevocationMessage(revocation: StoredRevocation): string {
  return JSON.stringify({ v: 1, ...revocation });
}

/**
 * A publisher on Redis pub/sub (node-redis). Connects on first use.
 *
 * @example
 * ```ts
 * const publisher = createRedisPublisher({ url: process.env.PULSE_REDIS_URL! });
 * createBroker({ ..., publishers: [publisher] });
 * ```
 */
export function createRedisPublisher(options: {
  readonly url: string;
  readonly channel?: string;
}): RevocationPublisher {
  const channel = options.channel ?? DEFAULT_REDIS_CHANNEL;
  type Client = Awaited<ReturnType<typeof import("redis").createClient>>;
  let client: Client | undefined;
  let ready: Promise<Client> | undefined;
  const connected = () =>
    (ready ??= import("redis").then(async ({ createClient }) => {
      const c: Client = createClient({ url: options.url });
      client = c;
      c.on("error", () => undefined);
      await c.connect();
      return c;
    }));
  return {
    start: async () => void (await connected()),
    publish: async (revocation) => {
      await (await connected()).publish(channel, encodeRevocationMessage(revocation));
    },
    close: async () => {
      if (client === undefined) return;
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}

/**
 * A publisher on PostgreSQL `NOTIFY` (node-postgres). Verifiers `LISTEN` on the same channel.
 *
 * @example
 * ```ts
 * const publisher = createPostgresPublisher({ url: process.env.PULSE_PG_URL! });
 * ```
 */
export function createPostgresPublisher(options: {
  readonly url: string;
  readonly channel?: string;
}): RevocationPublisher {
  const channel = options.channel ?? DEFAULT_PG_CHANNEL;
  let pool: Promise<{ query(t: string, p: unknown[]): Promise<unknown>; end(): Promise<void> }>;
  const connected = () =>
    (pool ??= import("pg").then(({ default: pg }) => {
      const p = new pg.Pool({ connectionString: options.url, max: 2 });
      p.on("error", () => undefined);
      return p;
    }));
  return {
    start: async () => void (await (await connected()).query("SELECT 1", [])),
    publish: async (revocation) => {
      const payload = encodeRevocationMessage(revocation);
      await (await connected()).query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    close: async () => {
      if (pool !== undefined) await (await pool).end();
    },
  };
}
