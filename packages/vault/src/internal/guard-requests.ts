import type { AccessRequest } from "@pulse/core";
import type { SecretLocation } from "../secret-store.js";
import { hasEmptySegment } from "./path.js";

/** What the guard checks for one call: the requests, or why it refuses without asking. */
export type GuardPlan =
  { readonly requests: readonly AccessRequest[] } | { readonly malformed: string };

/** The resource URI of a secret (or a listing prefix) under `mount`. */
export function secretResource(mount: string, location: SecretLocation | string): string {
  if (typeof location === "string") return `vault://${mount}/${location}`;
  return `vault://${location.mount ?? mount}/${location.path}`;
}

/**
 * The request for a listing of `path`: a `list` on the prefix `path/` (the root lists as the
 * empty prefix), so a grant on `app/billing/*` covers listing `app/billing` and nothing above.
 */
export function listingRequest(mount: string, path: unknown): GuardPlan {
  if (typeof path !== "string") return { malformed: "listing path is not a string" };

  const prefix = path === "" || path.endsWith("/") ? path : `${path}/`;
  if (hasEmptySegment(prefix)) return { malformed: "empty path segment in listing path" };

  const resource = secretResource(mount, prefix);
  return { requests: [{ resource, action: "list", match: "prefix" }] };
}
