import type { IncomingHttpHeaders } from "node:http";
import type { RequestContext } from "@pulse/core";
import { runInScope } from "@pulse/core/scope";

/** The parts of a request the middleware reads: Express, Fastify and bare Node requests fit. */
export interface RequestLike {
  readonly headers: IncomingHttpHeaders;
  readonly socket?: { readonly remoteAddress?: string | undefined } | null;
}

/** Options for {@link pulseMiddleware} and {@link pulseFastifyHook}. */
export interface ScopeMiddlewareOptions {
  /** Reads the capability token. Default: the `x-pulse-token` header. */
  readonly token?: (request: RequestLike) => string | undefined;
  /**
   * Reads the caller context. Default: the socket's peer address as `sourceIp`. Behind a proxy,
   * pass a function that reads the address your proxy set (only from proxies you trust).
   */
  readonly context?: (request: RequestLike) => RequestContext;
}

function scopeOf(request: RequestLike, options: ScopeMiddlewareOptions) {
  const token = (options.token ?? defaultToken)(request);
  const context = (options.context ?? defaultContext)(request);
  return token === undefined ? { context } : { token, context };
}

function defaultToken(request: RequestLike): string | undefined {
  const value = request.headers["x-pulse-token"];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function defaultContext(request: RequestLike): RequestContext {
  const ip = request.socket?.remoteAddress;
  return ip === undefined ? {} : { sourceIp: ip };
}

/**
 * Express (and Connect) middleware that binds the request's capability token and caller context
 * into the PULSE request scope, so the s3, pg and vault guards used while handling the request
 * check that token.
 *
 * @example
 * ```ts
 * app.use(pulseMiddleware());
 * app.get("/report", async (req, res) => res.send(await s3.send(new GetObjectCommand(...))));
 * ```
 */
export function pulseMiddleware(
  options: ScopeMiddlewareOptions = {},
): (request: RequestLike, response: unknown, next: (error?: unknown) => void) => void {
  return (request, _response, next) => {
    let scope;
    try {
      scope = scopeOf(request, options);
    } catch (error) {
      next(error);
      return;
    }
    runInScope(scope, () => next());
  };
}

/**
 * A Fastify hook that binds the request's token and context into the PULSE request scope.
 * Register it as `preHandler` (after body parsing, which would otherwise leave the scope).
 *
 * @example
 * ```ts
 * fastify.addHook("preHandler", pulseFastifyHook());
 * ```
 */
export function pulseFastifyHook(
  options: ScopeMiddlewareOptions = {},
): (request: RequestLike, reply: unknown, done: (error?: Error) => void) => void {
  return (request, _reply, done) => {
    let scope;
    try {
      scope = scopeOf(request, options);
    } catch (error) {
      done(error as Error);
      return;
    }
    runInScope(scope, () => done());
  };
}
