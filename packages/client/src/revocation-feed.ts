import type { Logger, RevocationChecker, RevocationStatus, RevocationSubject } from "@pulse/core";
import { RevocationFeedRunner } from "./internal/feed-runner.js";

/** Where push messages come from. Each uses a well-kept client that must be installed. */
export type RevocationSubscription =
  | { readonly redis: { readonly url: string; readonly channel?: string } }
  | { readonly postgres: { readonly url: string; readonly channel?: string } };

/** Options for {@link createRevocationFeed}. Times are in the units their names say. */
export interface RevocationFeedOptions {
  /** The broker's base URL; `GET /v1/revocations?since=` is polled there. */
  readonly broker: string | URL;
  /**
   * How old the revocation data may be before every check answers `revocation-stale`. The feed
   * counts as fresh only as of its last successful poll.
   */
  readonly maxStalenessMs: number;
  /** Time between polls. Default: a third of `maxStalenessMs`, at most 10 000. */
  readonly pollIntervalMs?: number;
  /**
   * Push channel for low-latency revocations. Default: none (polling only).
   *
   * > **Warning:** pushes are not authenticated. A pushed revocation is applied at once (it can
   * > only deny more) and a push ahead of the cursor triggers a poll, but only a poll moves the
   * > cursor and the freshness mark. Let only the broker publish on the channel.
   */
  readonly subscribe?: RevocationSubscription;
  /** Timeout of one poll. Default 5000. */
  readonly timeoutMs?: number;
  /** Called after revocations were applied (from a push or a poll). */
  readonly onRevocations?: (count: number, via: "push" | "poll") => void;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly logger?: Logger;
}

/**
 * A verifier's copy of the broker's revocations, kept up to date by subscription and polling.
 * Pass it as the verifier's `revocation` checker. Until the first poll succeeds, and whenever
 * the last successful poll is older than `maxStalenessMs`, it answers `stale`, so the verifier
 * denies with `revocation-stale`.
 */
export interface RevocationFeed extends RevocationChecker {
  status(subject: RevocationSubject): RevocationStatus;
  /** Polls once, subscribes, and starts the poll timer. Resolves even if the broker is down. */
  start(): Promise<void>;
  /**
   * Polls now, or right after the poll in flight; resolves `true` when the poll succeeded.
   */
  sync(): Promise<boolean>;
  /**
   * The cursor of the last revocation applied from a poll, in the broker's current epoch: it
   * goes back to `"0"` when the broker's revocation log changed (see `docs/client.md`).
   */
  readonly cursor: string;
  /** Stops polling and closes the subscription. */
  close(): Promise<void>;
}

/**
 * Creates a revocation feed.
 *
 * @example
 * ```ts
 * const feed = createRevocationFeed({
 *   broker: "https://broker.internal/",
 *   maxStalenessMs: 30_000,
 *   subscribe: { redis: { url: process.env.PULSE_REDIS_URL! } },
 * });
 * await feed.start();
 * const verifier = await createVerifier({ keys, issuer, audience: "s3", revocation: feed });
 * ```
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  return new RevocationFeedRunner(options);
}
