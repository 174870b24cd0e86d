import type { Logger, PrincipalClass, PublicJwks, SigningKey } from "@pulse/core";
import type { IdentityOptions } from "./identity.js";
import { BrokerService } from "./internal/service.js";
import type { BrokerPolicy } from "./policy-contract.js";
import type { RevocationPublisher } from "./publisher.js";
import type { BrokerStore } from "./store.js";

/** Options for {@link createBroker}. Times are in the units their names say. */
export interface BrokerOptions {
  /** The broker's issuer id, written as `iss` into every token. */
  readonly issuer: string;
  /** The loaded policy set and the `evaluate` function of `@pulse/policy`. */
  readonly policy: BrokerPolicy;
  /** How callers prove who they are. */
  readonly identity: IdentityOptions;
  /**
   * Signing keys, current first; older keys stay published while tokens they signed live.
   * Default: one fresh Ed25519 key (tokens then die with the process's keys).
   */
  readonly keys?: SigningKey | readonly SigningKey[];
  /** The state store. Default: {@link openStore} with `storeUrl` (embedded PGlite without). */
  readonly store?: BrokerStore;
  /** PostgreSQL URL for the default store; ignored with `store`. */
  readonly storeUrl?: string;
  /** Where new revocations are pushed (Redis pub/sub, PostgreSQL NOTIFY). Default: none. */
  readonly publishers?: readonly RevocationPublisher[];
  /**
   * CIDR ranges of proxies whose `X-Forwarded-For` is believed. Default: none, so the socket's
   * peer address is the caller's address. Each entry must be a strict CIDR range without host
   * bits (`127.0.0.0/8`, `10.0.0.1/32`, `fd00::/8`); a bare address, a host name or
   * `127.0.0.1/8` makes {@link createBroker} throw `ERR_PULSE_BROKER_OPTIONS` naming the entry.
   */
  readonly trustedProxies?: readonly string[];
  /** Flag values for a principal, from the deployment's flag provider. Default: no flags. */
  readonly flags?: (principal: {
    readonly class: PrincipalClass;
    readonly id: string;
  }) =>
    | Readonly<Record<string, string | boolean>>
    | Promise<Readonly<Record<string, string | boolean>>>;
  /**
   * Who may call `POST /v1/revocations`. Default: nobody. A caller is an admin only when the
   * issuer that vouched for it, its principal class and its id all match one entry. A bare id
   * (the older form) is accepted only while the broker has exactly one identity source (one JWT
   * issuer, or development keys alone) and means that source's issuer and class; with more
   * sources it makes {@link createBroker} throw `ERR_PULSE_BROKER_OPTIONS`.
   */
  readonly revocationAdmins?: readonly (RevocationAdmin | string)[];
  /** Longest token lifetime issued, whatever the grant allows. Default 900. */
  readonly maxLifetimeSeconds?: number;
  /** `Cache-Control: max-age` of the JWKS. Default 300. */
  readonly jwksMaxAgeSeconds?: number;
  /** Verifiers' clock tolerance, kept on top of a retired key's last expiry. Default 30. */
  readonly clockToleranceSeconds?: number;
  /** Largest request body accepted. Default 16384. */
  readonly bodyLimitBytes?: number;
  /** Default: silent. */
  readonly logger?: Logger;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A principal allowed to revoke. All three members must match the verified caller.
 *
 * @example
 * ```ts
 * const admin = { issuer: "https://idp.internal", principalClass: "service", id: "svc:security" };
 * ```
 */
export interface RevocationAdmin {
  /** `iss` of the caller's identity assertion, or `"development"` for a development key. */
  readonly issuer: string;
  readonly principalClass: PrincipalClass;
  readonly id: string;
}

/** A running (or ready to run) broker. */
export interface Broker {
  /** Opens the store, loads keys, starts listening. Resolves to the base URL. */
  listen(options: { readonly host: string; readonly port: number }): Promise<string>;
  /** Stops listening and closes the store and publishers it opened. */
  close(): Promise<void>;
  /** The base URL, e.g. `http://127.0.0.1:41234`; empty before {@link Broker.listen}. */
  readonly url: string;
  /**
   * Rotates the signing key: the already published next key starts signing, the old key stays
   * published until every token it signed has expired, a new next key is published.
   *
   * @returns The `kid` now signing.
   */
  rotateKeys(): Promise<{ readonly kid: string }>;
  /** The JWKS currently published. */
  jwks(): PublicJwks;
}

/**
 * Creates a capability broker: `POST /v1/tokens`, `GET /.well-known/jwks.json`,
 * `POST /v1/revocations`, `GET /v1/revocations?since=`. It runs on Fastify in this process.
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_OPTIONS` for missing or invalid options.
 *
 * @example
 * ```ts
 * import { evaluate, loadPolicy } from "@pulse/policy";
 * const broker = createBroker({
 *   issuer: "https://broker.internal",
 *   policy: { set: await loadPolicy("./policy"), evaluate },
 *   identity: { issuers: [{ issuer: "https://idp.internal", jwks: "https://idp.internal/jwks",
 *     audience: "pulse-broker" }] },
 * });
 * const url = await broker.listen({ host: "127.0.0.1", port: 0 });
 * ```
 */
export function createBroker(options: BrokerOptions): Broker {
  return new BrokerService(options);
}
