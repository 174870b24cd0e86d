import type {
  Action,
  Capability,
  ContextConstraints,
  GrantReference,
  Justification,
  PrincipalClass,
} from "@pulse/core";
import type { PolicySet } from "./model.js";
import { evaluateRequest } from "./internal/evaluator.js";

/**
 * What the broker asks: who, what, and the context it sees now.
 *
 * @example
 * ```ts
 * const request: EvaluationRequest = {
 *   principal: { class: "human", id: "ana@acme.example" },
 *   requests: [{ resource: "pg://appdb/public.orders", action: "read" }],
 *   context: { sourceIp: "10.20.3.4", time: new Date(), flags: {} },
 * };
 * ```
 */
export interface EvaluationRequest {
  readonly principal: { readonly class: PrincipalClass; readonly id: string };
  /**
   * Everything the token should allow. A resource may be an exact URI or a pattern
   * (`s3://bucket/prefix/*`) narrower than the grant's.
   */
  readonly requests: ReadonlyArray<{ readonly resource: string; readonly action: Action }>;
  readonly context: {
    /** The caller's source address as the broker sees it. */
    readonly sourceIp?: string;
    /** The broker's clock. */
    readonly time: Date;
    readonly flags: Readonly<Record<string, string | boolean>>;
    /** Digest of the caller's code artifact (`sha256:<hex>`), from its identity assertion. */
    readonly artifact?: string;
  };
}

/**
 * Why a request was denied. Context codes match the verifier's deny reasons.
 *
 * @example
 * ```ts
 * const refusedByContext = (code: EvaluationDenyCode) => code.startsWith("context-");
 * ```
 */
export type EvaluationDenyCode =
  | "no-grant"
  | "grant-expired"
  | "action-not-granted"
  | "context-cidr"
  | "context-window"
  | "context-flag"
  | "context-artifact"
  | "no-single-grant"
  | "malformed-request";

/**
 * The evaluator's answer: a capability to issue, a denial with reasons, or step-up.
 *
 * @example
 * ```ts
 * const result = evaluate(policy, request);
 * if (result.outcome === "deny") audit(result.reasons.map((r) => r.code)); // ["context-window"]
 * ```
 */
export type Evaluation =
  | {
      readonly outcome: "issue";
      readonly grantId: string;
      readonly capability: {
        readonly pcl: PrincipalClass;
        readonly cap: Capability[];
        readonly ctx: ContextConstraints;
        readonly jus: Justification;
        readonly grt: GrantReference;
        readonly lifetimeSeconds: number;
        readonly expiresAt: Date;
      };
    }
  | {
      readonly outcome: "deny";
      readonly reasons: ReadonlyArray<{
        readonly code: EvaluationDenyCode;
        readonly grantId?: string;
        readonly detail: string;
      }>;
    }
  | {
      readonly outcome: "step-up";
      readonly grantId: string;
      readonly reasons: ReadonlyArray<{ readonly code: string; readonly detail: string }>;
    };

/**
 * Evaluates a request against a policy set. The default is zero: without a grant that covers
 * every requested (resource, action) for this principal, the answer is `deny`.
 *
 * - One grant must cover all requests (the token names one grant); when only several together
 *   would, the answer is `deny` with `no-single-grant`.
 * - The capability is the narrowest: exactly the requested resources and actions, never the
 *   grant's wider pattern. `ctx` carries the grant's context constraints (and `stepUp`, when
 *   the grant routes mismatches to step-up) so verifiers re-check them at every use.
 * - `lifetimeSeconds` is the smaller of the grant's max-lifetime and the seconds left until the
 *   grant expires.
 * - A context mismatch that the grant routes to step-up, or a step-up flag present in the
 *   context, gives `step-up`; other mismatches deny, naming each constraint that failed.
 * - When several grants would issue, the one with the smallest id (code-point order) is used.
 *
 * Never throws for bad input: a request that does not follow the types gives `deny` with
 * `malformed-request`.
 *
 * @example
 * ```ts
 * const result = evaluate(policy, {
 *   principal: { class: "service", id: "svc:backup" },
 *   requests: [{ resource: "s3://acme-backups/nightly/2027-01-01.tar", action: "write" }],
 *   context: { sourceIp: "10.20.4.7", time: new Date(), flags: {} },
 * });
 * if (result.outcome === "issue") await mint({ ...result.capability, iss, sub, aud }, key);
 * ```
 */
export function evaluate(policy: PolicySet, request: EvaluationRequest): Evaluation {
  return evaluateRequest(policy, request);
}
