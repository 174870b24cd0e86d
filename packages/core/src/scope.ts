/**
 * The request scope: which capability token and which caller context belong to the work being
 * done right now. Adapters (`@pulse/s3`, `@pulse/pg`, `@pulse/vault`) read it, so application
 * code binds a token once per request and keeps calling its clients unchanged.
 *
 * This entry uses `AsyncLocalStorage` from `node:async_hooks` (Node, Deno, Bun, and workers with
 * Node compatibility).
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestContext } from "./context.js";
import type { AccessRequest, Decision, VerifierMode } from "./decision.js";
import { assertAllowed, PulseDeniedError } from "./errors.js";
import type { Verifier } from "./verifier.js";

/** What is bound to the current request. */
export interface RequestScope {
  readonly token?: string;
  readonly context?: RequestContext;
}

// One store per process even when both the ESM and CJS builds of this package are loaded.
const STORE_KEY = Symbol.for("pulse.core.requestScope");
const globals = globalThis as { [STORE_KEY]?: AsyncLocalStorage<RequestScope> };
const storage = (globals[STORE_KEY] ??= new AsyncLocalStorage<RequestScope>());

/**
 * Runs `fn` with `scope` bound; everything `fn` starts, synchronously or not, sees it.
 *
 * @example
 * ```ts
 * await runInScope({ token, context: { sourceIp: req.socket.remoteAddress } }, () => handle(req));
 * ```
 */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/**
 * Runs `fn` with `token` bound as the capability token of the current request. Keeps the
 * context of an enclosing scope.
 *
 * @example
 * ```ts
 * await runWithToken(token, () => s3.send(new GetObjectCommand({ Bucket, Key })));
 * ```
 */
export function runWithToken<T>(token: string, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer?.context ? { token, context: outer.context } : { token }, fn);
}

/** The scope bound to the current request, if any. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Supplies a token when none is bound to the request scope. */
export type TokenProvider = (need: {
  readonly audience: string;
  readonly requests: readonly AccessRequest[];
}) => string | undefined | Promise<string | undefined>;

/** Supplies the caller context (source address, flags) for a check. */
export type ContextProvider = () => RequestContext | Promise<RequestContext>;

/** The options every PULSE adapter shares. */
export interface GuardOptions {
  /** The verifier for this data store's audience. */
  readonly verifier: Verifier;
  /** Overrides the verifier's mode for this adapter. */
  readonly mode?: VerifierMode;
  /**
   * Where the token comes from when the request scope has none: a fixed token or a provider
   * (such as `@pulse/client`'s token source).
   */
  readonly token?: string | TokenProvider;
  /**
   * The caller context, merged under the request scope's context (the scope wins per field).
   */
  readonly context?: RequestContext | ContextProvider;
}

async function resolveToken(options: GuardOptions, requests: readonly AccessRequest[]) {
  const scoped = storage.getStore()?.token;
  if (scoped !== undefined) return scoped;

  const source = options.token;
  if (typeof source === "function") {
    return source({ audience: options.verifier.audience, requests });
  }
  return source;
}

async function resolveContext(options: GuardOptions): Promise<RequestContext> {
  const source = options.context;
  const base = typeof source === "function" ? await source() : (source ?? {});
  return mergeContext(base, storage.getStore());
}

function mergeContext(base: RequestContext, scope: RequestScope | undefined): RequestContext {
  const scoped = scope?.context;
  return scoped === undefined ? base : { ...base, ...scoped };
}

/**
 * Resolves the token and context for an operation, asks the verifier, and throws when the
 * decision blocks. Adapters call this once per operation, before anything is sent.
 *
 * @returns The decision (allow, or a deny/step-up that did not block because of shadow mode).
 * @throws {@link PulseDeniedError} when the decision blocks the operation.
 */
export async function authorize(
  options: GuardOptions,
  requests: readonly AccessRequest[],
  operation?: string,
): Promise<Decision> {
  const mode = options.mode ?? options.verifier.mode;
  if (mode === "off") return options.verifier.check(undefined, requests, { mode });

  let token: string | undefined;
  let context: RequestContext;
  try {
    const scope = storage.getStore();
    token = scope?.token ?? (await resolveToken(options, requests));
    const plain = options.context === undefined || typeof options.context !== "function";
    // The common case (a scope, a fixed or no adapter context) needs no await at all.
    context = plain ? mergeContext(options.context ?? {}, scope) : await resolveContext(options);
  } catch (error) {
    const detail = `token or context provider failed: ${(error as Error)?.message ?? error}`;
    const refusal = { mode, requests, ...op(operation) };
    const decision = options.verifier.refuse("malformed", detail, refusal);
    // The provider's own error (a broker denial, a step-up challenge) stays reachable as `cause`.
    if (decision.blocked) throw new PulseDeniedError(decision, { cause: error });
    return decision;
  }

  const decision = await options.verifier.check(token, requests, {
    mode,
    context,
    ...op(operation),
  });
  assertAllowed(decision);
  return decision;
}

function op(operation: string | undefined): { operation?: string } {
  return operation === undefined ? {} : { operation };
}
