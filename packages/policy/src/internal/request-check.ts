import type { Action, PrincipalClass, ResourceName } from "@pulse/core";
import { ACTIONS, parseAddressStrict, parseResource, PRINCIPAL_CLASSES } from "@pulse/core";
import type { EvaluationRequest } from "../evaluate.js";

/** Most (resource, action) pairs one request may ask for (a token carries at most 64). */
export const MAX_REQUESTS = 64;

/** A request after its shape was checked. */
export interface CheckedRequest {
  readonly principalClass: PrincipalClass;
  readonly principalId: string;
  readonly items: ReadonlyArray<{ resource: string; name: ResourceName; action: Action }>;
  readonly time: Date;
  readonly sourceIp: string | undefined;
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly artifact: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the request's shape; returns it typed, or why it is malformed. */
export function checkRequest(request: EvaluationRequest): CheckedRequest | string {
  const raw: unknown = request;
  if (!isObject(raw)) return "the request is not an object";

  const principal = raw["principal"];
  if (!isObject(principal)) return "principal is missing";

  const principalClass = PRINCIPAL_CLASSES.find((c) => c === principal["class"]);
  if (principalClass === undefined) return "principal.class is not human, service or temporary";

  const principalId = principal["id"];
  if (typeof principalId !== "string" || principalId === "" || principalId.length > 256) {
    return "principal.id is not a string of 1 to 256 characters";
  }

  const items = checkItems(raw["requests"]);
  if (typeof items === "string") return items;

  const context = raw["context"];
  if (!isObject(context)) return "context is missing";

  const time = context["time"];
  if (!(time instanceof Date) || Number.isNaN(time.getTime()))
    return "context.time is not a valid Date";

  const flags = context["flags"];
  if (!isObject(flags)) return "context.flags is not an object";
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value !== "string" && typeof value !== "boolean") {
      return `context.flags.${name} is not a string or boolean`;
    }
  }

  const sourceIp = context["sourceIp"];
  if (
    sourceIp !== undefined &&
    (typeof sourceIp !== "string" || parseAddressStrict(sourceIp) === undefined)
  ) {
    return "context.sourceIp is not a strict IPv4 or IPv6 address";
  }

  const artifact = context["artifact"];
  if (artifact !== undefined && typeof artifact !== "string")
    return "context.artifact is not a string";

  return {
    principalClass,
    principalId,
    items,
    time,
    sourceIp,
    flags: flags as Record<string, string | boolean>,
    artifact,
  };
}

function checkItems(requests: unknown): CheckedRequest["items"] | string {
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > MAX_REQUESTS) {
    return `requests must list 1 to ${MAX_REQUESTS} (resource, action) pairs`;
  }

  const items: Array<{ resource: string; name: ResourceName; action: Action }> = [];
  for (const [i, entry] of requests.entries()) {
    if (!isObject(entry)) return `requests[${i}] is not an object`;

    const action = ACTIONS.find((a) => a === entry["action"]);
    if (action === undefined) return `requests[${i}].action is not one of ${ACTIONS.join(", ")}`;

    const resource = entry["resource"];
    if (typeof resource !== "string") return `requests[${i}].resource is not a string`;
    let name: ResourceName;
    try {
      name = parseResource(resource, { pattern: true });
    } catch (error) {
      return `requests[${i}].resource: ${(error as Error).message}`;
    }
    items.push({ resource, name, action });
  }
  return items;
}
