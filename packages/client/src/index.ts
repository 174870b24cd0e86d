/**
 * `@pulse/client`: what applications and verifiers use to talk to the PULSE broker. A token
 * source that caches per scope and refreshes ahead of expiry, a revocation feed that keeps a
 * verifier's revocation set fresh, and middleware that binds a request's token into the scope.
 *
 * @packageDocumentation
 */
export type { BrokerReason, PulseClientErrorCode } from "./errors.js";
export { PulseClientError, PulseStepUpRequiredError, PulseTokenDeniedError } from "./errors.js";
export type { RetryOptions } from "./internal/backoff.js";
export type { StoredRevocation } from "./internal/revocation-message.js";
export type { RequestLike, ScopeMiddlewareOptions } from "./middleware.js";
export { pulseFastifyHook, pulseMiddleware } from "./middleware.js";
export type {
  RevocationFeed,
  RevocationFeedOptions,
  RevocationSubscription,
} from "./revocation-feed.js";
export { createRevocationFeed } from "./revocation-feed.js";
export type { IdentitySource, TokenSource, TokenSourceOptions } from "./token-source.js";
export { createTokenSource } from "./token-source.js";
