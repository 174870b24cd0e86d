/**
 * `@pulse/broker`: the capability broker. It authenticates callers (OIDC-style identity JWTs, or
 * development keys when switched on), evaluates the policy against the context it sees itself,
 * signs short-lived tokens, publishes its keys, and records and pushes revocations.
 *
 * @packageDocumentation
 */
export type { Broker, BrokerOptions, RevocationAdmin } from "./broker.js";
export { createBroker } from "./broker.js";
export type { PulseBrokerErrorCode } from "./errors.js";
export { PulseBrokerError } from "./errors.js";
export type {
  DevelopmentIdentity,
  IdentityIssuer,
  IdentityOptions,
  VerifiedIdentity,
} from "./identity.js";
export { DEVELOPMENT_ISSUER } from "./identity.js";
export { addKeyFile, loadKeyDirectory } from "./key-files.js";
export type {
  BrokerPolicy,
  Evaluation,
  EvaluationRequest,
  PolicySetLike,
} from "./policy-contract.js";
export type { RevocationPublisher } from "./publisher.js";
export {
  createPostgresPublisher,
  createRedisPublisher,
  DEFAULT_PG_CHANNEL,
  DEFAULT_REDIS_CHANNEL,
  encodeRevocationMessage,
} from "./publisher.js";
export type {
  BrokerAuditEvent,
  BrokerStore,
  IssuanceRecord,
  StoredAuditEvent,
  StoredRevocation,
  StoreOptions,
} from "./store.js";
export { openStore } from "./store.js";
