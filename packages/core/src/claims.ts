/** Action classes a capability can grant. `admin` covers schema and policy changes. */
export type Action = "read" | "write" | "delete" | "list" | "admin";

/** Every action class, in a stable order. */
export const ACTIONS: readonly Action[] = ["read", "write", "delete", "list", "admin"];

/** Principal classes. */
export type PrincipalClass = "human" | "service" | "temporary";

/** Every principal class, in a stable order. */
export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = ["human", "service", "temporary"];

/** One capability: a resource pattern and the action classes granted on it. */
export interface Capability {
  /** Resource pattern, e.g. `s3://acme-reports/team-a/*` or `pg://appdb/public.orders`. */
  readonly res: string;
  /** Action classes granted on `res`. */
  readonly act: readonly Action[];
}

/** Days of the week as they appear in a window constraint. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** Every weekday, Monday first. */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/**
 * A time window in a named IANA time zone. `start` is inclusive and `end` exclusive, both
 * `HH:MM`. When `end` is not after `start` the window runs past midnight into the next day.
 */
export interface TimeWindow {
  readonly tz: string;
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

/** Names of the context constraints, used by `ctx.stepUp` and in audit details. */
export type ContextConstraintName = "cidr" | "window" | "flags" | "artifact";

/** Context constraints a verifier re-checks at every use of the token. */
export interface ContextConstraints {
  /** Source address ranges (CIDR) the request must come from. */
  readonly cidr?: readonly string[];
  /** The time window the request must fall in. */
  readonly window?: TimeWindow;
  /** Flag values the caller's context must carry, compared exactly. */
  readonly flags?: Readonly<Record<string, string | boolean>>;
  /** Digest of the code artifact allowed to use the token: `sha256:<64 hex>`. */
  readonly artifact?: string;
  /**
   * Constraints whose failure means `step-up` (route to a higher-friction path) rather than
   * `deny`. A constraint not listed here denies.
   */
  readonly stepUp?: readonly ContextConstraintName[];
}

/** Why the token was issued. */
export interface Justification {
  /** Reference: ticket, business process or security exception id. */
  readonly ref: string;
  /** One sentence a reviewer can read. */
  readonly txt: string;
}

/** The grant and policy version that produced a token. */
export interface GrantReference {
  /** Grant id. */
  readonly id: string;
  /** Policy version: content hash of the normalised policy set. */
  readonly ver: string;
}

/** The full claim set of a PULSE capability token. */
export interface CapabilityClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly jti: string;
  readonly pcl: PrincipalClass;
  readonly cap: readonly Capability[];
  readonly ctx: ContextConstraints;
  readonly jus: Justification;
  readonly grt: GrantReference;
}

/** The JWS `typ` header every PULSE token carries. */
export const TOKEN_TYPE = "pulse+jwt";

/** Signature algorithms PULSE signs and verifies with. Anything else is refused. */
export type SigningAlgorithm = "EdDSA" | "ES256";

/** The algorithm allow-list passed to every verification. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ["EdDSA", "ES256"];
