// A stand-in for the policy language: the demo's grants are a small JSON file, read and checked
// here, then turned into tokens by the in-process broker. `@pulse/policy` replaces this.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Action, MintInput, PrincipalClass } from "@pulse/core";

/** One grant: who may do what on which resources, why, until when, and from where. */
export interface Grant {
  readonly id: string;
  readonly principal: { readonly class: PrincipalClass; readonly id: string };
  readonly resources: readonly string[];
  readonly actions: readonly Action[];
  readonly justification: { readonly ref: string; readonly text: string };
  /** The last day the grant may be used (`YYYY-MM-DD`, UTC). */
  readonly expires: string;
  readonly cidr?: readonly string[];
}

/** The grants of a file and the file's content hash (the policy version written into tokens). */
export interface GrantFile {
  readonly grants: ReadonlyMap<string, Grant>;
  readonly version: string;
}

/** Reads a grant file; a grant without a justification or an expiry is refused. */
export async function readGrantFile(path: string | URL): Promise<GrantFile> {
  const text = await readFile(path, "utf8");
  const { grants } = JSON.parse(text) as { grants: Grant[] };
  for (const grant of grants) {
    if (!grant.justification?.ref || !grant.justification?.text) {
      throw new Error(`grant ${grant.id} has no justification`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(grant.expires ?? "")) {
      throw new Error(`grant ${grant.id} has no expiry`);
    }
  }
  const version = `sha256:${createHash("sha256").update(text).digest("hex")}`;
  return { grants: new Map(grants.map((g) => [g.id, g])), version };
}

/**
 * What the broker signs for `grantId` for `audience`, valid for `lifetimeSeconds` (the issuer is
 * added by the story's `mint`).
 *
 * @throws when the grant is unknown or has expired at `now`.
 */
export function mintInputFor(
  file: GrantFile,
  grantId: string,
  audience: string,
  lifetimeSeconds: number,
  now: number = Date.now(),
): Omit<MintInput, "iss"> {
  const grant = file.grants.get(grantId);
  if (grant === undefined) throw new Error(`no grant ${grantId}`);
  if (now >= Date.parse(`${grant.expires}T23:59:59.999Z`)) {
    throw new Error(`grant ${grantId} expired on ${grant.expires}`);
  }

  return {
    sub: grant.principal.id,
    aud: audience,
    pcl: grant.principal.class,
    cap: grant.resources.map((res) => ({ res, act: grant.actions })),
    ...(grant.cidr && { ctx: { cidr: grant.cidr } }),
    jus: { ref: grant.justification.ref, txt: grant.justification.text },
    grt: { id: grant.id, ver: file.version },
    lifetimeSeconds,
  };
}
