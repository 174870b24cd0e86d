/**
 * `@pulse/core`: the PULSE capability token. Claims, minting, verification with decisions and
 * reason codes, resource URIs and matching, context constraints, revocation and audit.
 *
 * Uses only Web APIs (plus `ipaddr.js`, `jose` and a JSON parser), so it runs in Node, Deno, Bun
 * and edge workers. The request scope lives in `@pulse/core/scope`, Node file helpers in
 * `@pulse/core/node`.
 *
 * @packageDocumentation
 */
export type { AuditRecord, AuditSink } from "./audit.js";
export { jsonLinesAuditSink, MemoryAuditSink } from "./audit.js";
export type {
  Action,
  Capability,
  CapabilityClaims,
  ContextConstraintName,
  ContextConstraints,
  GrantReference,
  Justification,
  PrincipalClass,
  SigningAlgorithm,
  TimeWindow,
  Weekday,
} from "./claims.js";
export { ACTIONS, PRINCIPAL_CLASSES, SIGNING_ALGORITHMS, TOKEN_TYPE, WEEKDAYS } from "./claims.js";
export type { ContextFailure, RequestContext } from "./context.js";
export {
  addressInRanges,
  checkContext,
  insideWindow,
  isArtifactDigest,
  isKnownTimeZone,
  parseAddressStrict,
  parseCidrStrict,
  parseClock,
} from "./context.js";
export type {
  AccessRequest,
  AllowDecision,
  Decision,
  DenyDecision,
  DenyReason,
  StepUpDecision,
  VerifierMode,
} from "./decision.js";
export { DENY_REASONS } from "./decision.js";
export type { PulseErrorCode } from "./errors.js";
export {
  assertAllowed,
  PulseClaimsError,
  PulseDeniedError,
  PulseError,
  PulseKeyError,
  PulseOptionsError,
  PulseResourceError,
} from "./errors.js";
export { parseClaims } from "./internal/claims-schema.js";
export type { KeySet, PublicJwk, PublicJwks, SigningKey, TrustedKey } from "./keys.js";
export {
  exportJwks,
  exportSigningKey,
  generateSigningKey,
  importKeySet,
  importSigningKey,
} from "./keys.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { MintInput, MintOptions } from "./mint.js";
export { mint } from "./mint.js";
export type { PgObjectKind, ResourceMatch, ResourceName, ResourceScheme } from "./resource.js";
export { parseResource, pgResource, resourceCovers } from "./resource.js";
export type {
  MemoryRevocationListOptions,
  Revocation,
  RevocationChecker,
  RevocationStatus,
  RevocationSubject,
} from "./revocation.js";
export { MemoryRevocationList, noRevocation } from "./revocation.js";
export type {
  CheckOptions,
  RefuseOptions,
  RemoteKeys,
  Verifier,
  VerifierOptions,
} from "./verifier.js";
export { createVerifier } from "./verifier.js";
