import type { ResourceName } from "@pulse/core";
import { parseResource, resourceCovers } from "@pulse/core";
import type { Grant, GrantDecl } from "../model.js";
import type { DiagnosticList } from "./diagnostics.js";
import type { GroupTable } from "./groups.js";

/** Grants expiring within this many days draw a warning. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * Warnings that do not stop a policy from loading: grants that overlap, grants about to
 * expire, groups nobody uses, step-up rules for a constraint the grant does not have.
 */
export function lintGrants(
  grants: ReadonlyArray<{ grant: Grant; decl: GrantDecl }>,
  groups: GroupTable,
  now: Date,
  diagnostics: DiagnosticList,
): void {
  for (const { grant, decl } of grants) {
    const days = (grant.expiresAt.getTime() - now.getTime()) / DAY_MS;
    if (days < EXPIRY_WARNING_DAYS) {
      const at = grant.expiresAt.toISOString();
      const why = `grant ${grant.id} expires in ${Math.ceil(days)} days (${at})`;
      diagnostics.warning("expires-soon", why, decl.id.span);
    }
    stepUpWithoutConstraint(grant, decl, diagnostics);
  }

  overlaps(grants, diagnostics);

  for (const [name, group] of groups.groups) {
    if (!groups.used.has(name)) {
      diagnostics.warning(
        "unused-group",
        `group @${name} is not used by any grant`,
        group.name.span,
      );
    }
  }
}

function stepUpWithoutConstraint(grant: Grant, decl: GrantDecl, diagnostics: DiagnosticList) {
  const present = {
    cidr: grant.context.cidr,
    window: grant.context.window,
    flags: grant.context.flags,
    artifact: grant.context.artifact,
  };
  for (const name of grant.stepUp.on) {
    if (present[name] === undefined) {
      const clause = decl.clauses.find((c) => c.kind === "step-up-on")!;
      const why = `grant ${grant.id} steps up on ${name} but has no ${name} constraint`;
      diagnostics.warning("step-up-without-constraint", why, clause.span);
    }
  }
}

function overlaps(
  grants: ReadonlyArray<{ grant: Grant; decl: GrantDecl }>,
  diagnostics: DiagnosticList,
): void {
  const parsed = grants.map(({ grant }) =>
    grant.resources.map((r) => parseResource(r, { pattern: true })),
  );

  // Only grants that share a principal can overlap: compare within each principal's bucket.
  const buckets = new Map<string, number[]>();
  grants.forEach(({ grant }, i) => {
    for (const id of new Set(grant.principal.ids)) {
      const key = `${grant.principal.class}\u0000${id}`;
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, [i]);
      else bucket.push(i);
    }
  });

  // One warning per grant, naming the first grant it overlaps: lint stays readable (and small)
  // when many grants overlap each other.
  const overlapping = new Map<number, Set<number>>();
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const [i, j] = [bucket[x]!, bucket[y]!];
        const seen = overlapping.get(j);
        if (seen?.has(i) === true) continue;
        const a = grants[i]!.grant;
        const b = grants[j]!.grant;
        if (!a.actions.some((act) => b.actions.includes(act))) continue;
        if (!resourcesMeet(parsed[i]!, parsed[j]!)) continue;
        if (seen === undefined) overlapping.set(j, new Set([i]));
        else seen.add(i);
      }
    }
  }

  for (const [j, earlier] of [...overlapping].sort((p, q) => p[0] - q[0])) {
    const first = grants[Math.min(...earlier)]!.grant.id;
    const others = earlier.size > 1 ? ` and ${earlier.size - 1} more` : "";
    const what = "same principal, actions and resources";
    const why = `grant ${grants[j]!.grant.id} overlaps grant ${first}${others}: ${what}`;
    diagnostics.warning("overlapping-grants", why, grants[j]!.decl.id.span);
  }
}

function resourcesMeet(a: readonly ResourceName[], b: readonly ResourceName[]): boolean {
  return a.some((x) => b.some((y) => resourceCovers(x, y) || resourceCovers(y, x) || same(x, y)));
}

function same(x: ResourceName, y: ResourceName): boolean {
  return (
    x.scheme === y.scheme &&
    x.instance === y.instance &&
    x.path === y.path &&
    x.wildcard === y.wildcard
  );
}
