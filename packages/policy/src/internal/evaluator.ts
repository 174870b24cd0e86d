import type {
  Action,
  Capability,
  ContextConstraintName,
  ContextConstraints,
  ResourceName,
} from "@pulse/core";
import { ACTIONS, checkContext, parseResource, resourceCovers } from "@pulse/core";
import type { Evaluation, EvaluationDenyCode, EvaluationRequest } from "../evaluate.js";
import type { Grant, PolicySet } from "../model.js";
import type { CheckedRequest } from "./request-check.js";
import { checkRequest } from "./request-check.js";

type Reason = { code: EvaluationDenyCode; grantId?: string; detail: string };
type Failure = { constraint: ContextConstraintName; detail: string };

const CONSTRAINTS: readonly ContextConstraintName[] = ["cidr", "window", "flags", "artifact"];
const CODES: Readonly<Record<ContextConstraintName, EvaluationDenyCode>> = {
  cidr: "context-cidr",
  window: "context-window",
  flags: "context-flag",
  artifact: "context-artifact",
};

// Parsed grant patterns, kept per policy set so repeated evaluations do not re-parse them.
const patternCache = new WeakMap<Grant, ResourceName[]>();

function patterns(grant: Grant): ResourceName[] {
  let parsed = patternCache.get(grant);
  if (parsed === undefined) {
    parsed = grant.resources.map((r) => parseResource(r, { pattern: true }));
    patternCache.set(grant, parsed);
  }
  return parsed;
}

// Grants by principal, built once per policy set: a policy with large groups stays cheap to query.
const principalIndex = new WeakMap<PolicySet, Map<string, Grant[]>>();

function grantsFor(policy: PolicySet, principalClass: string, id: string): readonly Grant[] {
  let index = principalIndex.get(policy);
  if (index === undefined) {
    index = new Map();
    for (const grant of policy.grants) {
      for (const principalId of new Set(grant.principal.ids)) {
        const key = `${grant.principal.class}\u0000${principalId}`;
        const list = index.get(key);
        if (list === undefined) index.set(key, [grant]);
        else list.push(grant);
      }
    }
    principalIndex.set(policy, index);
  }
  return index.get(`${principalClass}\u0000${id}`) ?? [];
}

/** See `evaluate` in `../evaluate.ts`. */
export function evaluateRequest(policy: PolicySet, request: EvaluationRequest): Evaluation {
  const checked = checkRequest(request);
  if (typeof checked === "string") return deny([{ code: "malformed-request", detail: checked }]);

  if (typeof policy !== "object" || policy === null || !Array.isArray(policy.grants)) {
    return deny([
      { code: "malformed-request", detail: "the policy set is not a compiled PolicySet" },
    ]);
  }

  const candidates = grantsFor(policy, checked.principalClass, checked.principalId);
  if (candidates.length === 0) {
    const who = `${checked.principalClass} ${checked.principalId}`;
    return deny([{ code: "no-grant", detail: `no grant names ${who}` }]);
  }

  const full = candidates.filter((g) => checked.items.every((item) => allows(g, item)));
  if (full.length === 0) return deny(coverageReasons(candidates, checked));

  const reasons: Reason[] = [];
  let stepUp: Evaluation | undefined;
  for (const grant of full) {
    const secondsLeft = Math.floor((grant.expiresAt.getTime() - checked.time.getTime()) / 1000);
    if (secondsLeft < 1) {
      const detail = `grant ${grant.id} expired at ${grant.expiresAt.toISOString()}`;
      reasons.push({ code: "grant-expired", grantId: grant.id, detail });
      continue;
    }

    const failures = contextFailures(grant.context, checked);
    const flagged = stepUpFlags(grant, checked);
    if (failures.length === 0 && flagged.length === 0) {
      return issue(policy, grant, checked, Math.min(grant.maxLifetimeSeconds, secondsLeft));
    }

    const routable = failures.every((f) => grant.stepUp.on.includes(f.constraint));
    if (routable && stepUp === undefined) {
      const why = [
        ...failures.map((f) => ({ code: CODES[f.constraint], detail: f.detail })),
        ...flagged,
      ];
      stepUp = { outcome: "step-up", grantId: grant.id, reasons: why };
    }
    for (const f of failures)
      reasons.push({ code: CODES[f.constraint], grantId: grant.id, detail: f.detail });
  }
  return stepUp ?? deny(reasons);
}

function allows(grant: Grant, item: CheckedRequest["items"][number]): boolean {
  return (
    grant.actions.includes(item.action) && patterns(grant).some((p) => resourceCovers(p, item.name))
  );
}

function coverageReasons(candidates: readonly Grant[], checked: CheckedRequest): Reason[] {
  const uncovered = checked.items.filter((item) => !candidates.some((g) => allows(g, item)));
  if (uncovered.length === 0) {
    const detail = `each request is granted, but no one grant covers all ${checked.items.length}`;
    return [{ code: "no-single-grant", detail }];
  }

  return uncovered.map((item): Reason => {
    const holder = candidates.find((g) => patterns(g).some((p) => resourceCovers(p, item.name)));
    if (holder !== undefined) {
      const detail = `grant ${holder.id} does not allow ${item.action} on ${item.resource}`;
      return { code: "action-not-granted", grantId: holder.id, detail };
    }
    return { code: "no-grant", detail: `no grant covers ${item.resource}` };
  });
}

function contextFailures(ctx: ContextConstraints, checked: CheckedRequest): Failure[] {
  const failures: Failure[] = [];
  const seen = {
    ...(checked.sourceIp === undefined ? {} : { sourceIp: checked.sourceIp }),
    flags: checked.flags,
  };
  for (const name of CONSTRAINTS) {
    if (ctx[name] === undefined) continue;
    const only: ContextConstraints = { [name]: ctx[name] };
    const failure = checkContext(only, seen, checked.time, checked.artifact);
    if (failure !== undefined) failures.push({ constraint: name, detail: failure.detail });
  }
  return failures;
}

function stepUpFlags(
  grant: Grant,
  checked: CheckedRequest,
): Array<{ code: string; detail: string }> {
  const out: Array<{ code: string; detail: string }> = [];
  for (const [name, value] of Object.entries(grant.stepUp.when)) {
    if (Object.hasOwn(checked.flags, name) && checked.flags[name] === value) {
      out.push({ code: "step-up-flag", detail: `flag ${name} is ${String(value)}` });
    }
  }
  return out;
}

function issue(
  policy: PolicySet,
  grant: Grant,
  checked: CheckedRequest,
  lifetime: number,
): Evaluation {
  const byResource = new Map<string, Set<Action>>();
  for (const item of checked.items) {
    const acts = byResource.get(item.resource) ?? new Set<Action>();
    acts.add(item.action);
    byResource.set(item.resource, acts);
  }
  const cap: Capability[] = [...byResource].map(([res, acts]) => ({
    res,
    act: ACTIONS.filter((a) => acts.has(a)),
  }));

  return {
    outcome: "issue",
    grantId: grant.id,
    capability: {
      pcl: checked.principalClass,
      cap,
      ctx: copyContext(grant),
      jus: { ref: grant.justification.ref, txt: grant.justification.txt },
      grt: { id: grant.id, ver: policy.version },
      lifetimeSeconds: lifetime,
      expiresAt: new Date(checked.time.getTime() + lifetime * 1000),
    },
  };
}

function copyContext(grant: Grant): ContextConstraints {
  const c = grant.context;
  return {
    ...(c.cidr === undefined ? {} : { cidr: [...c.cidr] }),
    ...(c.window === undefined ? {} : { window: { ...c.window, days: [...c.window.days] } }),
    ...(c.flags === undefined ? {} : { flags: { ...c.flags } }),
    ...(c.artifact === undefined ? {} : { artifact: c.artifact }),
    ...(grant.stepUp.on.length === 0 ? {} : { stepUp: [...grant.stepUp.on] }),
  };
}

function deny(reasons: Reason[]): Evaluation {
  return { outcome: "deny", reasons };
}
