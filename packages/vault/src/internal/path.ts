import { parseResource } from "@pulse/core";
import { PulseVaultError } from "../errors.js";

// Any valid mount name will do: only the path is being checked here.
const PROBE = "vault://probe/";

function refuse(path: unknown, why: string): never {
  const shown = typeof path === "string" ? JSON.stringify(path.slice(0, 120)) : typeof path;
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_PATH", `invalid secret path ${shown}: ${why}`);
}

/**
 * Checks a secret path by the same rules the verifier applies to `vault://` resources, so a
 * backend never touches a path the guard would call malformed. Returns the path unchanged.
 */
export function secretPath(path: unknown): string {
  if (typeof path !== "string") refuse(path, "not a string");

  try {
    parseResource(PROBE + path);
  } catch (error) {
    refuse(path, reasonOf(error));
  }
  return path;
}

/**
 * Checks a listing path and returns it as a prefix: `""` for the root, otherwise ending in `/`
 * (`app/billing` and `app/billing/` both list the children of the node `app/billing`).
 */
export function listingPrefix(path: unknown): string {
  if (typeof path !== "string") refuse(path, "not a string");

  const prefix = path === "" || path.endsWith("/") ? path : `${path}/`;
  if (hasEmptySegment(prefix)) refuse(path, "empty path segment");

  try {
    parseResource(PROBE + prefix, { match: "prefix" });
  } catch (error) {
    refuse(path, reasonOf(error));
  }
  return prefix;
}

/** One level of names below `prefix`, from full paths: children, and nodes ending in `/`. */
export function oneLevel(prefix: string, paths: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const path of paths) {
    if (!path.startsWith(prefix) || path.length === prefix.length) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return [...names].sort();
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const colon = message.lastIndexOf(": ");
  return colon < 0 ? message : message.slice(colon + 2);
}

/** True when a listing prefix has an empty segment that the resource parser lets through. */
export function hasEmptySegment(prefix: string): boolean {
  return prefix.split("/").slice(0, -1).includes("");
}
