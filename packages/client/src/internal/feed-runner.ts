import type { Logger, RevocationStatus, RevocationSubject } from "@pulse/core";
import { MemoryRevocationList, silentLogger } from "@pulse/core";
import { PulseClientError } from "../errors.js";
import type { RevocationFeed, RevocationFeedOptions } from "../revocation-feed.js";
import { isCursor, isEpoch, parseStoredRevocation } from "./revocation-message.js";
import type { Subscriber } from "./subscribers.js";
import { subscribe } from "./subscribers.js";

/** Times one poll may find the log changed under it before it gives up (and the feed ages). */
const MAX_REREADS = 3;

/** Longest wait before the poll a push asks for. */
const PUSH_POLL_JITTER_MS = 250;

/** The feed behind `createRevocationFeed`. */
export class RevocationFeedRunner implements RevocationFeed {
  readonly #options: RevocationFeedOptions;
  readonly #url: URL;
  readonly #list: MemoryRevocationList;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #cursor = "0";
  /** The epoch of the broker's log the cursor belongs to; unknown before the first page. */
  #epoch: string | undefined;
  #synced = false;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #subscriber: Subscriber | undefined;
  #polling: Promise<boolean> | undefined;
  #queued: Promise<boolean> | undefined;
  #closed = false;

  constructor(options: RevocationFeedOptions) {
    const fail = (m: string) => new PulseClientError("ERR_PULSE_CLIENT_OPTIONS", m);
    if (!(options.maxStalenessMs > 0)) throw fail("maxStalenessMs must be positive");
    try {
      this.#url = new URL("v1/revocations", new URL(String(options.broker).replace(/\/?$/, "/")));
    } catch {
      throw fail("broker must be a URL");
    }
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#intervalMs =
      options.pollIntervalMs ?? Math.min(10_000, Math.floor(options.maxStalenessMs / 3));
    this.#list = new MemoryRevocationList({
      maxStalenessMs: options.maxStalenessMs,
      now: this.#now,
    });
  }

  get cursor(): string {
    return this.#cursor;
  }

  status(subject: RevocationSubject): RevocationStatus {
    if (!this.#synced) return { state: "stale", ageMs: Number.POSITIVE_INFINITY };
    return this.#list.status(subject);
  }

  async start(): Promise<void> {
    await this.sync();
    await this.#subscribe();
    this.#schedule();
  }

  /** A subscription that cannot be opened is retried at the poll interval; polls go on. */
  async #subscribe(): Promise<void> {
    const spec = this.#options.subscribe;
    if (spec === undefined || this.#closed) return;
    try {
      this.#subscriber = await subscribe(spec, {
        message: (text) => this.#pushed(text),
        reconnected: () => void this.sync(),
        logger: this.#logger,
        connectWaitMs: this.#options.timeoutMs ?? 5000,
      });
      if (this.#closed) await this.#subscriber.close();
    } catch (error) {
      this.#logger.warn?.("revocation subscription failed; polling meanwhile", {
        error: String(error),
      });
      setTimeout(() => void this.#subscribe().then(() => this.sync()), this.#intervalMs).unref();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#soon);
    await this.#subscriber?.close();
    await this.#queued;
    await this.#polling;
  }

  /**
   * Single flight: a poll asked for while one runs is done once the running one ends (the
   * running one may have read the broker before the caller's reason to ask), and every caller
   * asking meanwhile shares that next poll.
   */
  sync(): Promise<boolean> {
    if (this.#polling === undefined) return this.#begin();

    this.#queued ??= this.#polling.then(() => {
      this.#queued = undefined;
      return this.#closed ? false : this.#begin();
    });
    return this.#queued;
  }

  #begin(): Promise<boolean> {
    const polling = this.#poll().finally(() => {
      if (this.#polling === polling) this.#polling = undefined;
    });
    this.#polling = polling;
    return polling;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.sync().finally(() => this.#schedule());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /**
   * Reads every page after the cursor. When the broker's log is not the one the cursor came
   * from (a new epoch, or a newest cursor below ours: a store reset or restored), the log is read
   * again from 0; what the list holds stays, since revocations are only ever added.
   */
  async #poll(): Promise<boolean> {
    const startedAt = this.#now();
    try {
      let applied = 0;
      let rereads = 0;
      for (;;) {
        const since = this.#cursor;
        const page = await this.#page(since);
        const sameLog = page.epoch === (this.#epoch ?? page.epoch);
        if (!sameLog || BigInt(page.cursor) < BigInt(since)) {
          if (++rereads > MAX_REREADS) throw new Error("the revocation log keeps changing");
          this.#logger.warn?.("the broker's revocation log changed; reading it again from 0", {
            since,
            cursor: page.cursor,
          });
          this.#epoch = page.epoch;
          this.#cursor = "0";
          continue;
        }

        this.#epoch = page.epoch;
        for (const stored of page.revocations) this.#list.add(stored.revocation);
        applied += page.revocations.length;
        this.#cursor = page.cursor;
        if (page.complete) break;
      }
      this.#list.markFresh(startedAt);
      this.#synced = true;
      if (applied > 0) this.#notify(applied, "poll");
      return true;
    } catch (error) {
      this.#logger.warn?.("revocation poll failed", { error: String(error) });
      return false;
    }
  }

  async #page(since: string) {
    const url = new URL(this.#url);
    url.searchParams.set("since", since);
    const response = await (this.#options.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5000),
    });
    if (response.status !== 200) throw new Error(`broker answered ${response.status}`);

    const body = (await response.json()) as {
      epoch?: unknown;
      revocations?: unknown;
      cursor?: unknown;
      complete?: unknown;
    };
    if (!Array.isArray(body.revocations) || !isCursor(body.cursor) || !isEpoch(body.epoch)) {
      throw new Error("revocation page is malformed");
    }
    const revocations = body.revocations.map((r) => parseStoredRevocation(r));
    if (revocations.some((r) => r === undefined)) throw new Error("revocation entry is malformed");
    return {
      epoch: body.epoch,
      revocations: revocations as NonNullable<(typeof revocations)[number]>[],
      cursor: body.cursor,
      complete: body.complete !== false,
    };
  }

  /** Calls `onRevocations`; an error thrown there is logged, never passed to the engine. */
  #notify(count: number, via: "push" | "poll"): void {
    try {
      this.#options.onRevocations?.(count, via);
    } catch (error) {
      this.#logger.warn?.("onRevocations threw", { error: String(error) });
    }
  }

  /**
   * A push is a hint from anyone who can publish on the channel, not the broker's word. Adding
   * the revocation it carries is only ever stricter, so that happens at once; the cursor and the
   * freshness mark move only with a poll, which a push ahead of the cursor triggers.
   */
  #pushed(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const stored = parseStoredRevocation(parsed);
    if (stored === undefined) {
      this.#logger.warn?.("ignored a malformed revocation message; polling");
      this.#pollSoon();
      return;
    }
    this.#list.add(stored.revocation);
    this.#notify(1, "push");
    if (BigInt(stored.cursor) > BigInt(this.#cursor)) this.#pollSoon();
  }

  /**
   * A poll asked for by a push, after a random wait of up to {@link PUSH_POLL_JITTER_MS}: every
   * subscribed verifier gets the push at once, and they should not all ask the broker at once.
   */
  #pollSoon(): void {
    if (this.#soon !== undefined || this.#closed) return;
    const waitMs = Math.random() * Math.min(PUSH_POLL_JITTER_MS, this.#intervalMs);
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.sync();
    }, waitMs);
    this.#soon.unref();
  }
}
