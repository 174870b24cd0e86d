import type { Decision } from "@pulse/core";
import { PulsePgError } from "../errors.js";
import type { StatementGate } from "./gate.js";
import type { QueryCall } from "./query-call.js";
import { readQueryCall, settle } from "./query-call.js";
import type { RawClient } from "./session.js";
import { ClaimsState, pin } from "./session.js";

type AnyFunction = (...args: unknown[]) => unknown;

interface Submittable {
  handleError?: (error: unknown) => void;
  emit?: (event: string, error: unknown) => void;
}

/** One hand-out of a client: the pin, the claims set in its transaction, the dispatch order. */
class HandOut {
  released = false;
  needsPin = true;
  readonly claims = new ClaimsState();
  // Statements are admitted and sent in call order, as node-postgres queues them.
  queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly raw: RawClient & Record<string | symbol, unknown>,
    readonly gate: StatementGate,
  ) {}

  async prepare(decision: Decision | undefined): Promise<void> {
    if (this.needsPin) {
      await pin(this.raw, this.gate.settings);
      this.needsPin = false;
    }
    if (this.gate.settings.setClaims) await this.claims.apply(this.raw, decision);
  }

  /** Admits and sends one statement after the ones called before it. */
  dispatch(call: QueryCall): Promise<unknown> {
    const sent = this.queue.then(async () => {
      // A statement queued before release() must not run on a connection that may already
      // belong to someone else's hand-out (and transaction).
      if (this.released) throw releasedError();
      const decision = await this.gate.admit(call.text);
      await this.prepare(decision);
      if (this.released) throw releasedError();
      const query = this.raw["query"] as AnyFunction;
      return { result: query.apply(this.raw, call.args as unknown[]) };
    });
    const result = sent.then((box) => box.result);
    this.#track(result);
    // Each statement waits for the one before it to finish: the next may depend on the
    // transaction state it leaves (a queued BEGIN, for `pulse.claims`), and node-postgres
    // deprecates handing a query to a client that is still running one.
    const settled = result;
    this.queue = settled.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  query(args: unknown[]): unknown {
    const call = readQueryCall(args);
    if (this.released) {
      const error = releasedError();
      if (call.submittable) throw error;
      return settle(Promise.reject(error), call.callback);
    }

    if (!call.submittable) return settle(this.dispatch(call), call.callback);

    const submittable = args[0] as Submittable;
    this.dispatch(call).catch((error: unknown) => fail(submittable, error));
    return submittable;
  }

  #inflight = 0;
  #whenDrained: (() => void) | undefined;

  #track(result: Promise<unknown>): void {
    this.#inflight += 1;
    const done = () => {
      this.#inflight -= 1;
      if (this.#inflight === 0) this.#whenDrained?.();
    };
    result.then(done, done);
  }

  /**
   * Ends the hand-out. The connection goes back to the pool once the statements already sent
   * have finished; one left inside a transaction is destroyed rather than handed to the next
   * caller with this hand-out's transaction (and `pulse.claims`) still open.
   */
  release(args: unknown[]): unknown {
    this.released = true;
    if (this.#inflight === 0) return this.#releaseNow(args);
    this.#whenDrained = () => this.#releaseNow(args);
    return undefined;
  }

  #releaseNow(args: unknown[]): unknown {
    this.#whenDrained = undefined;
    const status = this.raw.getTransactionStatus?.();
    const inTransaction = status === "T" || status === "E";
    const destroy = args[0] ?? (inTransaction ? true : undefined);
    const release = this.raw["release"] as AnyFunction;
    return destroy === undefined ? release.apply(this.raw, []) : release.apply(this.raw, [destroy]);
  }
}

function releasedError(): PulsePgError {
  return new PulsePgError(
    "ERR_PULSE_PG_CLIENT_RELEASED",
    "query on a guarded client after release",
  );
}

function fail(submittable: Submittable, error: unknown): void {
  if (typeof submittable.handleError === "function") submittable.handleError(error);
  else submittable.emit?.("error", error);
}

/**
 * Wraps a node-postgres client in a Proxy: `query` goes through the gate, `release` marks the
 * hand-out as finished, everything else (events, `end`, properties) reaches the client itself.
 */
export function proxyClient<C extends object>(
  raw: C,
  gate: StatementGate,
  options: { pinned?: boolean } = {},
): C {
  const handOut = new HandOut(raw as unknown as HandOut["raw"], gate);
  handOut.needsPin = options.pinned !== true;

  const query = (...args: unknown[]) => handOut.query(args);
  const release = (...args: unknown[]) => handOut.release(args);

  return new Proxy(raw, {
    get(target, property) {
      if (property === "query") return query;
      if (property === "release" && typeof Reflect.get(target, property) === "function") {
        return release;
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as AnyFunction).bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
}
