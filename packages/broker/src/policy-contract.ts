import type {
  Action,
  Capability,
  ContextConstraints,
  GrantReference,
  Justification,
  PrincipalClass,
} from "@pulse/core";

/**
 * The part of a `@pulse/policy` `PolicySet` the broker reads. The broker never looks inside the
 * grants: it hands the whole set to the injected `evaluate` function.
 */
export interface PolicySetLike {
  /** Policy version: content hash of the normalised policy set. */
  readonly version: string;
}

/** What the broker asks the policy: the same shape as `@pulse/policy`'s `EvaluationRequest`. */
export interface EvaluationRequest {
  readonly principal: { readonly class: PrincipalClass; readonly id: string };
  readonly requests: ReadonlyArray<{ readonly resource: string; readonly action: Action }>;
  readonly context: {
    readonly sourceIp?: string;
    readonly time: Date;
    readonly flags: Readonly<Record<string, string | boolean>>;
    readonly artifact?: string;
  };
}

/** The policy's answer: the same shape as `@pulse/policy`'s `Evaluation`. */
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
        readonly code: string;
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
 * The policy the broker evaluates against: a loaded set and the function that evaluates it.
 *
 * @example
 * ```ts
 * import { evaluate, loadPolicy } from "@pulse/policy";
 * const policy: BrokerPolicy = { set: await loadPolicy("./policy"), evaluate };
 * ```
 */
export interface BrokerPolicy<P extends PolicySetLike = PolicySetLike> {
  readonly set: P;
  /** `@pulse/policy`'s `evaluate`: called with {@link BrokerPolicy.set} for every request. */
  evaluate(policy: P, request: EvaluationRequest): Evaluation;
}
