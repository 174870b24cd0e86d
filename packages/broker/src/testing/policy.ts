// Test policies in the real PULSE policy language, compiled by @pulse/policy.
import { compilePolicy, evaluate } from "@pulse/policy";
import type { PolicySet } from "@pulse/policy";
import type { BrokerPolicy } from "../policy-contract.js";

/** A date about 90 days ahead, as the policy language writes one. */
export function expiresSoon(): string {
  return new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
}

/** One grant block with the boilerplate clauses filled in. */
export function grant(id: string, principal: string, body: string): string {
  return `grant ${id} {
  principal service "${principal}"
  ${body.trim()}
  justification "TEST-1" "Test grant."
  expires ${expiresSoon()}
  max-lifetime 5m
}
`;
}

/** Compiles `text` and pairs it with the real `evaluate`. */
export function testPolicy(text: string): BrokerPolicy<PolicySet> {
  return { set: compilePolicy([{ file: "test.pulse", text }]), evaluate };
}
