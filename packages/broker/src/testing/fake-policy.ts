// A stand-in for `@pulse/policy`'s evaluate, for tests only: it implements the same contract on
// a list of plain grants, checking principal, resource coverage, actions, cidr and artifact.
import type { Action, ContextConstraints } from "@pulse/core";
import { addressInRanges, parseAddressStrict, parseResource, resourceCovers } from "@pulse/core";
import type { BrokerPolicy, Evaluation, EvaluationRequest } from "../policy-contract.js";

export interface FakeGrant {
  readonly id: string;
  readonly principal: string;
  readonly resource: string;
  readonly actions: readonly Action[];
  readonly cidr?: readonly string[];
  readonly artifact?: string;
  /** When set, a cidr mismatch asks for step-up instead of denying. */
  readonly stepUpOnCidr?: boolean;
  /** UTC hours `[from, to)` in which the grant applies. */
  readonly hoursUtc?: readonly [number, number];
  readonly lifetimeSeconds?: number;
  readonly expiresAt?: Date;
}

export interface FakePolicySet {
  readonly version: string;
  readonly grants: readonly FakeGrant[];
}

export function fakePolicy(grants: readonly FakeGrant[]): BrokerPolicy<FakePolicySet> {
  return { set: { version: "sha256:fake", grants }, evaluate: fakeEvaluate };
}

function fakeEvaluate(policy: FakePolicySet, request: EvaluationRequest): Evaluation {
  const reasons: { code: string; grantId?: string; detail: string }[] = [];
  for (const grant of policy.grants) {
    if (grant.principal !== request.principal.id) continue;

    const pattern = parseResource(grant.resource, { pattern: true });
    const covered = request.requests.every(
      (r) =>
        resourceCovers(pattern, parseResource(r.resource, { pattern: true })) &&
        grant.actions.includes(r.action),
    );
    if (!covered) {
      reasons.push({ code: "out-of-scope", grantId: grant.id, detail: "not covered" });
      continue;
    }

    const ip = parseAddressStrict(request.context.sourceIp ?? "");
    if (grant.cidr !== undefined && (ip === undefined || !addressInRanges(ip, grant.cidr))) {
      if (grant.stepUpOnCidr === true) {
        return {
          outcome: "step-up",
          grantId: grant.id,
          reasons: [{ code: "context-cidr", detail: "new network" }],
        };
      }
      reasons.push({ code: "context-cidr", grantId: grant.id, detail: "outside cidr" });
      continue;
    }

    if (grant.artifact !== undefined && request.context.artifact !== grant.artifact) {
      reasons.push({ code: "context-artifact", grantId: grant.id, detail: "artifact differs" });
      continue;
    }

    const hour = request.context.time.getUTCHours();
    if (grant.hoursUtc !== undefined && (hour < grant.hoursUtc[0] || hour >= grant.hoursUtc[1])) {
      reasons.push({ code: "context-window", grantId: grant.id, detail: "outside hours" });
      continue;
    }

    const ctx: ContextConstraints = {
      ...(grant.cidr && { cidr: grant.cidr }),
      ...(grant.artifact && { artifact: grant.artifact }),
    };
    return {
      outcome: "issue",
      grantId: grant.id,
      capability: {
        pcl: request.principal.class,
        cap: [{ res: grant.resource, act: [...grant.actions] }],
        ctx,
        jus: { ref: "TEST-1", txt: "test grant" },
        grt: { id: grant.id, ver: policy.version },
        lifetimeSeconds: grant.lifetimeSeconds ?? 300,
        expiresAt: grant.expiresAt ?? new Date(Date.now() + 86_400_000),
      },
    };
  }
  if (reasons.length === 0) reasons.push({ code: "no-grant", detail: "no grant for principal" });
  return { outcome: "deny", reasons };
}
