import { createHash } from "node:crypto";
import { ACTIONS, parseCidrStrict, parseResource, WEEKDAYS } from "@pulse/core";
import type { Grant } from "../model.js";

/** Domain separation: a future normal form changes this prefix, and so every version. */
const PREFIX = "pulse-policy/v1\n";

/**
 * `sha256:<hex>` over the normal form of the grants: grants by id, sets sorted, resources and
 * ranges in canonical spelling, groups expanded. Layout, comments, file names, declaration order
 * and group names do not change it; any change in what a grant allows does.
 */
export function policyVersion(grants: readonly Grant[]): string {
  const normal = [...grants].sort((a, b) => compare(a.id, b.id)).map(normalGrant);
  const hash = createHash("sha256").update(PREFIX).update(canonicalJson(normal));
  return `sha256:${hash.digest("hex")}`;
}

function normalGrant(g: Grant): unknown {
  const ctx = g.context;
  return {
    id: g.id,
    principal: { class: g.principal.class, ids: sorted(g.principal.ids) },
    resources: sorted(g.resources.map(canonicalResource)),
    actions: ACTIONS.filter((a) => g.actions.includes(a)),
    justification: { ref: g.justification.ref, txt: g.justification.txt },
    expiresAt: g.expiresAt.toISOString(),
    maxLifetimeSeconds: g.maxLifetimeSeconds,
    context: {
      cidr: ctx.cidr === undefined ? null : sorted(ctx.cidr.map(canonicalCidr)),
      window:
        ctx.window === undefined
          ? null
          : { ...ctx.window, days: WEEKDAYS.filter((d) => ctx.window!.days.includes(d)) },
      flags: ctx.flags ?? null,
      artifact: ctx.artifact ?? null,
    },
    stepUp: { on: sorted(g.stepUp.on), when: g.stepUp.when },
  };
}

function canonicalResource(uri: string): string {
  const r = parseResource(uri, { pattern: true });
  return `${r.scheme}://${r.instance}/${r.path}${r.wildcard ? "*" : ""}`;
}

function canonicalCidr(text: string): string {
  const cidr = parseCidrStrict(text);
  return cidr === undefined ? text : `${cidr[0].toString()}/${cidr[1]}`;
}

function sorted<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort(compare);
    const body = keys.map(
      (k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`,
    );
    return `{${body.join(",")}}`;
  }
  return JSON.stringify(value);
}
