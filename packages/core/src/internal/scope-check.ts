import type { ContextConstraintName } from "../claims.js";
import type { ContextFailure } from "../context.js";
import type { AccessRequest, DenyReason } from "../decision.js";
import { parseResource, resourceCovers } from "../resource.js";
import type { TokenRejection } from "./compact-token.js";
import type { VerifiedToken } from "./verified-cache.js";

/** Checks one request against the token's capabilities. */
export function checkRequest(
  token: VerifiedToken,
  request: AccessRequest,
): TokenRejection | undefined {
  const match = request.match ?? "exact";
  let resource;
  try {
    resource = parseResource(request.resource, { match });
  } catch (error) {
    return { reason: "malformed", detail: (error as Error).message };
  }

  let covered = false;
  for (const [i, pattern] of token.patterns.entries()) {
    if (!resourceCovers(pattern, resource, match)) continue;
    covered = true;
    if (token.claims.cap[i]!.act.includes(request.action)) return undefined;
  }

  if (!covered) {
    return { reason: "out-of-scope", detail: `no capability covers ${request.resource}` };
  }
  return {
    reason: "action-not-granted",
    detail: `${request.action} not granted on ${request.resource}`,
  };
}

const CONTEXT_REASONS: Record<ContextFailure["constraint"], DenyReason> = {
  cidr: "context-cidr",
  window: "context-window",
  flags: "context-flag",
  artifact: "context-artifact",
  address: "malformed",
};

/** The reason code for a failed context constraint. */
export function contextReason(failure: ContextFailure): DenyReason {
  return CONTEXT_REASONS[failure.constraint];
}

/** True when the token routes this failure to step-up instead of a denial. */
export function routesToStepUp(
  stepUp: readonly ContextConstraintName[] | undefined,
  failure: ContextFailure,
): boolean {
  return failure.constraint !== "address" && (stepUp?.includes(failure.constraint) ?? false);
}
