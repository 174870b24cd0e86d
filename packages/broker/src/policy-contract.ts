import type { Evaluation, EvaluationRequest } from "@pulse/policy";

// The broker talks to the policy through `@pulse/policy`'s own request and answer types.
export type { Evaluation, EvaluationRequest };

/**
 * The part of a `@pulse/policy` `PolicySet` the broker reads. The broker never looks inside the
 * grants: it hands the whole set to the injected `evaluate` function.
 */
export interface PolicySetLike {
  /** Policy version: content hash of the normalised policy set. */
  readonly version: string;
}

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
