import type {
  Action,
  Capability,
  CapabilityClaims,
  ContextConstraintName,
  ContextConstraints,
  TimeWindow,
} from "../claims.js";
import { ACTIONS, PRINCIPAL_CLASSES, WEEKDAYS } from "../claims.js";
import { isArtifactDigest, isKnownTimeZone, parseCidrStrict, parseClock } from "../context.js";
import { PulseClaimsError } from "../errors.js";
import { parseResource } from "../resource.js";

const CLAIM_NAMES = new Set(["iss", "sub", "aud", "iat", "nbf", "exp", "jti"]);
for (const name of ["pcl", "cap", "ctx", "jus", "grt"]) CLAIM_NAMES.add(name);

const MAX_CAPABILITIES = 64;
const MAX_TEXT = 1024;
const STEP_UP_NAMES: readonly ContextConstraintName[] = ["cidr", "window", "flags", "artifact"];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function only(claim: string, value: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new PulseClaimsError(`${claim}.${key}`, "unknown member");
  }
}

function text(claim: string, value: unknown, max = MAX_TEXT): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new PulseClaimsError(claim, "must be a non-empty string");
  }
  if (value.length > max) throw new PulseClaimsError(claim, `longer than ${max} characters`);
  return value;
}

function seconds(claim: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new PulseClaimsError(claim, "must be a whole number of seconds since the epoch");
  }
  return value;
}

function audience(value: unknown): string | string[] {
  if (typeof value === "string") return text("aud", value, 256);

  if (!Array.isArray(value) || value.length === 0 || value.length > 16) {
    throw new PulseClaimsError("aud", "must be a string or a list of 1 to 16 strings");
  }
  return value.map((entry, i) => text(`aud.${i}`, entry, 256));
}

function actions(claim: string, value: unknown): Action[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new PulseClaimsError(claim, "must list at least one action");
  }

  const seen = new Set<Action>();
  for (const entry of value) {
    const action = ACTIONS.find((a) => a === entry);
    if (action === undefined) throw new PulseClaimsError(claim, `unknown action ${String(entry)}`);
    if (seen.has(action)) throw new PulseClaimsError(claim, `action ${action} listed twice`);
    seen.add(action);
  }
  return [...seen];
}

function capabilities(value: unknown): Capability[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CAPABILITIES) {
    throw new PulseClaimsError("cap", `must list 1 to ${MAX_CAPABILITIES} capabilities`);
  }

  return value.map((entry, i): Capability => {
    if (!isObject(entry)) throw new PulseClaimsError(`cap.${i}`, "must be an object");
    only(`cap.${i}`, entry, ["res", "act"]);

    const res = text(`cap.${i}.res`, entry["res"], 2048);
    try {
      parseResource(res, { pattern: true });
    } catch (error) {
      throw new PulseClaimsError(`cap.${i}.res`, (error as Error).message, { cause: error });
    }
    return { res, act: actions(`cap.${i}.act`, entry["act"]) };
  });
}

function timeWindow(value: unknown): TimeWindow {
  if (!isObject(value)) throw new PulseClaimsError("ctx.window", "must be an object");
  only("ctx.window", value, ["tz", "days", "start", "end"]);

  const tz = text("ctx.window.tz", value["tz"], 64);
  if (!isKnownTimeZone(tz)) throw new PulseClaimsError("ctx.window.tz", `unknown time zone ${tz}`);

  const days = value["days"];
  const valid = Array.isArray(days) && days.length > 0 && days.length <= 7;
  if (!valid || !days.every((d) => WEEKDAYS.includes(d)) || new Set(days).size !== days.length) {
    throw new PulseClaimsError("ctx.window.days", "must list distinct days mon..sun");
  }

  const start = text("ctx.window.start", value["start"], 5);
  const end = text("ctx.window.end", value["end"], 5);
  const from = parseClock(start);
  const to = parseClock(end);
  if (from === undefined || from === 24 * 60) {
    throw new PulseClaimsError("ctx.window.start", "must be HH:MM");
  }
  if (to === undefined || to === from) {
    throw new PulseClaimsError("ctx.window.end", "must be HH:MM and differ from start");
  }
  return { tz, days: days as TimeWindow["days"], start, end };
}

function flags(value: unknown): Record<string, string | boolean> {
  if (!isObject(value)) throw new PulseClaimsError("ctx.flags", "must be an object");

  for (const [name, flag] of Object.entries(value)) {
    if (typeof flag !== "string" && typeof flag !== "boolean") {
      throw new PulseClaimsError(`ctx.flags.${name}`, "must be a string or a boolean");
    }
  }
  return value as Record<string, string | boolean>;
}

function context(value: unknown): ContextConstraints {
  if (!isObject(value)) throw new PulseClaimsError("ctx", "must be an object");
  only("ctx", value, ["cidr", "window", "flags", "artifact", "stepUp"]);

  const out: { -readonly [K in keyof ContextConstraints]: ContextConstraints[K] } = {};
  const cidr = value["cidr"];
  if (cidr !== undefined) {
    if (!Array.isArray(cidr) || cidr.length === 0 || cidr.length > 64) {
      throw new PulseClaimsError("ctx.cidr", "must list 1 to 64 CIDR ranges");
    }
    for (const [i, range] of cidr.entries()) {
      if (parseCidrStrict(range) === undefined) {
        throw new PulseClaimsError(`ctx.cidr.${i}`, "not a strict CIDR range");
      }
    }
    out.cidr = cidr as string[];
  }

  if (value["window"] !== undefined) out.window = timeWindow(value["window"]);

  if (value["flags"] !== undefined) out.flags = flags(value["flags"]);

  const artifact = value["artifact"];
  if (artifact !== undefined) {
    if (typeof artifact !== "string" || !isArtifactDigest(artifact)) {
      throw new PulseClaimsError("ctx.artifact", "must be sha256:<64 lower-case hex digits>");
    }
    out.artifact = artifact;
  }

  const stepUp = value["stepUp"];
  if (stepUp !== undefined) {
    if (!Array.isArray(stepUp) || !stepUp.every((n) => STEP_UP_NAMES.includes(n))) {
      throw new PulseClaimsError("ctx.stepUp", "must list constraint names");
    }
    out.stepUp = stepUp as ContextConstraintName[];
  }
  return out;
}

function pair(claim: string, value: unknown, a: string, b: string): Record<string, string> {
  if (!isObject(value)) throw new PulseClaimsError(claim, "must be an object");
  only(claim, value, [a, b]);
  return { [a]: text(`${claim}.${a}`, value[a]), [b]: text(`${claim}.${b}`, value[b]) };
}

/**
 * Checks a decoded payload against the PULSE claim model and returns it typed. Unknown claims
 * and unknown members are refused: a verifier must never skip over something it does not
 * understand.
 *
 * @throws {@link PulseClaimsError} naming the first claim that fails.
 */
export function parseClaims(payload: unknown): CapabilityClaims {
  if (!isObject(payload)) throw new PulseClaimsError("payload", "must be a JSON object");

  for (const key of Object.keys(payload)) {
    if (!CLAIM_NAMES.has(key)) throw new PulseClaimsError(key, "unknown claim");
  }

  const iat = seconds("iat", payload["iat"]);
  const nbf = seconds("nbf", payload["nbf"]);
  const exp = seconds("exp", payload["exp"]);
  if (exp <= iat || exp <= nbf) throw new PulseClaimsError("exp", "must be after iat and nbf");

  const pcl = PRINCIPAL_CLASSES.find((c) => c === payload["pcl"]);
  if (pcl === undefined) throw new PulseClaimsError("pcl", "must be human, service or temporary");

  const jus = pair("jus", payload["jus"], "ref", "txt");
  const grt = pair("grt", payload["grt"], "id", "ver");
  return {
    iss: text("iss", payload["iss"], 256),
    sub: text("sub", payload["sub"], 256),
    aud: audience(payload["aud"]),
    iat,
    nbf,
    exp,
    jti: text("jti", payload["jti"], 128),
    pcl,
    cap: capabilities(payload["cap"]),
    ctx: context(payload["ctx"]),
    jus: { ref: jus["ref"]!, txt: jus["txt"]! },
    grt: { id: grt["id"]!, ver: grt["ver"]! },
  };
}
