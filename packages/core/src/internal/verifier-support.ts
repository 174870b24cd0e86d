import type { AuditRecord } from "../audit.js";
import { ACTIONS } from "../claims.js";
import type { AccessRequest, Decision, DenyDecision, VerifierMode } from "../decision.js";
import type { TokenRejection } from "./compact-token.js";
import type { VerifiedToken } from "./verified-cache.js";

/** What the audit record needs from a call's options. */
interface AuditedCall {
  readonly context?: { readonly sourceIp?: string };
  readonly operation?: string;
}

export const MODES: readonly VerifierMode[] = ["enforce", "shadow", "off"];

// A misspelt mode must never turn enforcement off: anything that is not a known mode enforces.
export function parseMode(mode: unknown, fallback: VerifierMode): VerifierMode {
  if (mode === undefined) return fallback;
  return MODES.find((m) => m === mode) ?? "enforce";
}

export function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

// Requests come from adapters, but a verifier never throws for bad input: a list that is not a
// list of well-formed requests is a malformed decision.
export function requestList(requests: unknown): readonly AccessRequest[] | undefined {
  const list: unknown[] = Array.isArray(requests) ? requests : [requests];
  const valid = list.every((entry) => {
    const r = entry as Partial<AccessRequest> | null;
    return (
      isObject(r) &&
      typeof r.resource === "string" &&
      ACTIONS.includes(r.action as AccessRequest["action"]) &&
      (r.match === undefined || r.match === "exact" || r.match === "prefix")
    );
  });
  return valid ? (list as AccessRequest[]) : undefined;
}

export function denial(
  mode: VerifierMode,
  requests: readonly AccessRequest[],
  rejection: TokenRejection,
  claims?: VerifiedToken["claims"],
  failed?: AccessRequest,
): DenyDecision {
  const blocked = mode !== "shadow";
  const base = { outcome: "deny" as const, mode, blocked, requests, ...rejection };
  return { ...base, ...(claims && { claims }), ...(failed && { failed }) };
}

export function auditRecord(
  decision: Decision,
  verifier: string,
  nowMs: number,
  options: AuditedCall,
): AuditRecord {
  const c = decision.claims;
  const requests = decision.requests.map((r) => ({ resource: r.resource, action: r.action }));
  return {
    time: new Date(nowMs).toISOString(),
    verifier,
    outcome: decision.outcome,
    ...(decision.outcome !== "allow" && { reason: decision.reason, detail: decision.detail }),
    mode: decision.mode,
    blocked: decision.blocked,
    ...(c && { iss: c.iss, sub: c.sub, jti: c.jti, grant: c.grt }),
    requests,
    ...(options.context?.sourceIp !== undefined && { sourceIp: options.context.sourceIp }),
    ...(options.operation !== undefined && { operation: options.operation }),
  };
}
