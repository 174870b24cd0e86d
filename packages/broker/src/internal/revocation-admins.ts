import { PRINCIPAL_CLASSES } from "@pulse/core";
import type { RevocationAdmin } from "../broker.js";
import { PulseBrokerError } from "../errors.js";
import type { IdentityOptions, VerifiedIdentity } from "../identity.js";
import { DEVELOPMENT_ISSUER } from "../identity.js";

function refuse(entry: unknown, why: string): never {
  const shown = JSON.stringify(entry);
  throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", `revocationAdmins entry ${shown} ${why}`);
}

/**
 * Checks `revocationAdmins` against the identity options and returns each entry with its issuer
 * and principal class. A bare principal id (the older form) is read only when the broker has
 * exactly one identity source, and then as that source's issuer and class; with two sources it
 * would say nothing about which one may vouch for the id, so it is refused.
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_OPTIONS` naming the entry.
 */
export function resolveRevocationAdmins(
  entries: readonly unknown[],
  identity: IdentityOptions,
): RevocationAdmin[] {
  if (!Array.isArray(entries)) refuse(entries, "is not an array");

  const issuers = new Set((identity.issuers ?? []).map((i) => i.issuer));
  return entries.map((entry) =>
    typeof entry === "string" ? fromId(entry, identity) : checked(entry, issuers),
  );
}

function checked(entry: unknown, issuers: ReadonlySet<string>): RevocationAdmin {
  const { issuer, principalClass, id } = (entry ?? {}) as Partial<RevocationAdmin>;
  if (typeof issuer !== "string" || !(issuer === DEVELOPMENT_ISSUER || issuers.has(issuer))) {
    refuse(entry, `needs an issuer: one of identity.issuers, or "${DEVELOPMENT_ISSUER}"`);
  }

  if (!PRINCIPAL_CLASSES.includes(principalClass as never)) {
    refuse(entry, `needs a principalClass: ${PRINCIPAL_CLASSES.join(", ")}`);
  }

  if (typeof id !== "string" || id === "") refuse(entry, "needs a principal id");

  return { issuer, principalClass: principalClass!, id };
}

function fromId(id: string, identity: IdentityOptions): RevocationAdmin {
  if (id === "") refuse(id, "is empty");

  const issuers = identity.issuers ?? [];
  const dev = identity.development?.enabled === true ? identity.development.identities : [];
  const sources = issuers.length + (dev.length > 0 ? 1 : 0);
  if (sources !== 1) {
    const why = `names no issuer, and the broker has ${sources} identity sources`;
    refuse(id, `${why}: write { issuer, principalClass, id }`);
  }

  const [jwt] = issuers;
  if (jwt !== undefined) {
    return { issuer: jwt.issuer, principalClass: jwt.principalClass ?? "service", id };
  }

  const classes = new Set(dev.filter((d) => d.principal.id === id).map((d) => d.principal.class));
  if (classes.size !== 1) refuse(id, "must name exactly one development identity");
  return { issuer: DEVELOPMENT_ISSUER, principalClass: [...classes][0]!, id };
}

/** True when the verified caller is one of `admins`: issuer, principal class and id all match. */
export function isRevocationAdmin(
  admins: readonly RevocationAdmin[],
  caller: VerifiedIdentity,
): boolean {
  const development = caller.method === "development";
  return admins.some(
    (admin) =>
      admin.issuer === caller.issuer &&
      admin.principalClass === caller.principal.class &&
      admin.id === caller.principal.id &&
      (admin.issuer === DEVELOPMENT_ISSUER) === development,
  );
}
