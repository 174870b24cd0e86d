import type { Action, CapabilityClaims } from "./claims.js";
import type { ResourceMatch } from "./resource.js";

/** Stable reason codes carried by every `deny` and `step-up`. */
export type DenyReason =
  | "malformed"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-audience"
  | "out-of-scope"
  | "action-not-granted"
  | "context-cidr"
  | "context-window"
  | "context-flag"
  | "context-artifact"
  | "revoked"
  | "revocation-stale"
  | "unsupported-operation";

/** Every reason code, in a stable order. */
export const DENY_REASONS: readonly DenyReason[] = [
  "malformed",
  "bad-signature",
  "expired",
  "not-yet-valid",
  "wrong-audience",
  "out-of-scope",
  "action-not-granted",
  "context-cidr",
  "context-window",
  "context-flag",
  "context-artifact",
  "revoked",
  "revocation-stale",
  "unsupported-operation",
];

/**
 * How a verifier treats its decisions: `enforce` blocks denials, `shadow` lets the operation run
 * and reports what would have been denied, `off` checks nothing.
 */
export type VerifierMode = "enforce" | "shadow" | "off";

/** One thing an operation does: an action on a resource. */
export interface AccessRequest {
  /** Resource URI, e.g. `s3://acme-reports/team-a/q1.csv`. */
  readonly resource: string;
  readonly action: Action;
  /** `prefix` when `resource` is a listing prefix rather than one object. Default `exact`. */
  readonly match?: ResourceMatch;
}

interface DecisionBase {
  /** The mode the decision was made in. */
  readonly mode: VerifierMode;
  /**
   * True when the caller must not run the operation: a `deny` or `step-up` in `enforce` mode.
   * Always false in `shadow` and `off`.
   */
  readonly blocked: boolean;
  /** Everything the operation asked for. */
  readonly requests: readonly AccessRequest[];
}

/** The operation may run. `claims` is absent only in `off` mode, where nothing is verified. */
export interface AllowDecision extends DecisionBase {
  readonly outcome: "allow";
  readonly claims?: CapabilityClaims;
}

/** The operation is refused (or, in shadow mode, would have been). */
export interface DenyDecision extends DecisionBase {
  readonly outcome: "deny";
  readonly reason: DenyReason;
  /** Human-readable detail. Never contains token or key material. */
  readonly detail: string;
  /** The verified claims, when the token itself was valid. */
  readonly claims?: CapabilityClaims;
  /** The request that failed, when one did. */
  readonly failed?: AccessRequest;
}

/** The grant routes this access to a higher-friction path (a context constraint marked so). */
export interface StepUpDecision extends DecisionBase {
  readonly outcome: "step-up";
  readonly reason: DenyReason;
  readonly detail: string;
  readonly claims: CapabilityClaims;
}

/** The result of `Verifier.check`. */
export type Decision = AllowDecision | DenyDecision | StepUpDecision;
