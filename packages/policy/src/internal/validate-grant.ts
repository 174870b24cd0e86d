import type {
  Action,
  ContextConstraintName,
  ContextConstraints,
  PrincipalClass,
} from "@pulse/core";
import { ACTIONS, isArtifactDigest, PRINCIPAL_CLASSES } from "@pulse/core";
import type { Clause, FlagValue, Grant, GrantDecl, Text } from "../model.js";
import { checkCidr, checkPrincipalId, checkResource, checkWindow } from "./checks.js";
import type { DiagnosticList } from "./diagnostics.js";
import type { GroupTable } from "./groups.js";

/** Longest token lifetime a grant may allow, in seconds (the broker's mint default). */
export const MAX_LIFETIME_SECONDS = 3600;
/** Most CIDR ranges and capabilities a token may carry. */
const MAX_RANGES = 64;
/** Longest justification reference or text (the token's claim limit). */
const MAX_TEXT = 1024;
/** Longest grant id. */
const MAX_ID = 128;

const REQUIRED: ReadonlyArray<[Clause["kind"], string]> = [
  ["principal", "names no principal"],
  ["resources", "names no resources"],
  ["actions", "names no actions"],
  ["justification", "has no justification: every grant says why it exists"],
  ["expires", "has no expiry: every grant ends"],
  ["max-lifetime", "has no max-lifetime for its tokens"],
];
const REPEATABLE = new Set<Clause["kind"]>(["flag", "step-up-when"]);

/** Names a step-up rule may route, as written and as the token names them. */
export const STEP_UP_NAMES: Readonly<Record<string, ContextConstraintName>> = {
  network: "cidr",
  window: "window",
  flags: "flags",
  artifact: "artifact",
};

type Of<K extends Clause["kind"]> = Extract<Clause, { kind: K }>;

export interface GrantLimits {
  readonly now: Date;
  readonly horizon: Date;
}

/** Checks one grant and builds its resolved form; `undefined` when it has errors. */
export function validateGrant(
  decl: GrantDecl,
  groups: GroupTable,
  limits: GrantLimits,
  diagnostics: DiagnosticList,
): Grant | undefined {
  const before = diagnostics.errorTotal;
  const one = <K extends Clause["kind"]>(kind: K) =>
    decl.clauses.find((c): c is Of<K> => c.kind === kind);

  if (decl.id.value.length > MAX_ID) {
    diagnostics.error(
      "invalid-grant-id",
      `a grant id is at most ${MAX_ID} characters`,
      decl.id.span,
    );
  }

  const counted = new Set<Clause["kind"]>();
  for (const c of decl.clauses) {
    if (counted.has(c.kind) && !REPEATABLE.has(c.kind)) {
      diagnostics.error(
        "duplicate-clause",
        `grant ${decl.id.value} has two ${c.kind} clauses`,
        c.span,
      );
    }
    counted.add(c.kind);
  }

  for (const [kind, what] of REQUIRED) {
    if (!counted.has(kind)) {
      diagnostics.error(`missing-${kind}`, `grant ${decl.id.value} ${what}`, decl.id.span);
    }
  }

  const principal = one("principal");
  const principalClass = principal && checkClass(principal.principalClass, diagnostics);
  const ids = principal && principalIds(principal, groups, diagnostics);
  const resources = one("resources") && checkResources(one("resources")!, diagnostics);
  const actions = one("actions") && checkActions(one("actions")!, diagnostics);
  const justification =
    one("justification") && checkJustification(one("justification")!, diagnostics);
  const expiresAt = one("expires") && checkExpiry(one("expires")!, limits, diagnostics);
  const lifetime = one("max-lifetime") && checkLifetime(one("max-lifetime")!, diagnostics);
  const context = buildContext(decl, groups, diagnostics);
  const stepUp = buildStepUp(decl, diagnostics);

  if (diagnostics.errorTotal > before) return undefined;
  return {
    id: decl.id.value,
    principal: {
      class: principalClass!,
      ids: ids!,
      ...("kind" in principal!.id ? { group: principal!.id.name } : {}),
    },
    resources: resources!,
    actions: actions!,
    justification: justification!,
    expiresAt: expiresAt!,
    maxLifetimeSeconds: lifetime!,
    context,
    stepUp,
    source: { file: decl.span.file, line: decl.span.line, column: decl.span.column },
  };
}

function checkClass(text: Text, diagnostics: DiagnosticList): PrincipalClass | undefined {
  const found = PRINCIPAL_CLASSES.find((c) => c === text.value);
  if (found === undefined) {
    const why = `unknown principal class ${text.value}: expected ${PRINCIPAL_CLASSES.join(", ")}`;
    diagnostics.error("unknown-principal-class", why, text.span);
  }
  return found;
}

function principalIds(c: Of<"principal">, groups: GroupTable, diagnostics: DiagnosticList) {
  if ("kind" in c.id) return groups.resolve(c.id, "principals", c.span.file);
  const why = checkPrincipalId(c.id.value);
  if (why !== undefined) diagnostics.error("invalid-principal", why, c.id.span);
  return [c.id.value];
}

function checkResources(c: Of<"resources">, diagnostics: DiagnosticList): string[] {
  if (c.items.length === 0)
    diagnostics.error("empty-list", "a grant names at least one resource", c.span);
  if (c.items.length > MAX_RANGES) {
    diagnostics.error("too-many", `a grant names at most ${MAX_RANGES} resources`, c.span);
  }
  for (const r of c.items) {
    const why = checkResource(r.value);
    if (why !== undefined) diagnostics.error("invalid-resource", why, r.span);
  }
  return c.items.map((r) => r.value);
}

function checkActions(c: Of<"actions">, diagnostics: DiagnosticList): Action[] {
  if (c.items.length === 0)
    diagnostics.error("empty-list", "a grant names at least one action", c.span);
  const out: Action[] = [];
  for (const a of c.items) {
    const action = ACTIONS.find((known) => known === a.value);
    if (action === undefined) {
      const why = `unknown action ${a.value}: expected ${ACTIONS.join(", ")}`;
      diagnostics.error("unknown-action", why, a.span);
    } else if (out.includes(action)) {
      diagnostics.error("duplicate-action", `action ${action} is listed twice`, a.span);
    } else {
      out.push(action);
    }
  }
  return out;
}

function checkJustification(c: Of<"justification">, diagnostics: DiagnosticList) {
  for (const [what, text] of [
    ["reference", c.ref],
    ["text", c.text],
  ] as const) {
    if (text.value.trim() === "" || text.value.length > MAX_TEXT) {
      const why = `the justification ${what} is 1 to ${MAX_TEXT} characters, not blank`;
      diagnostics.error("missing-justification", why, text.span);
    }
  }
  return { ref: c.ref.value, txt: c.text.value };
}

function checkExpiry(c: Of<"expires">, limits: GrantLimits, diagnostics: DiagnosticList) {
  const at = new Date(c.at);
  if (at.getTime() <= limits.now.getTime()) {
    diagnostics.error("expired", `the grant expired at ${c.at}`, c.span);
  } else if (at.getTime() > limits.horizon.getTime()) {
    const why = `expiry ${c.at} is beyond the horizon ${limits.horizon.toISOString()}`;
    diagnostics.error("beyond-horizon", why, c.span);
  }
  return at;
}

function checkLifetime(c: Of<"max-lifetime">, diagnostics: DiagnosticList): number {
  if (c.seconds < 1 || c.seconds > MAX_LIFETIME_SECONDS) {
    const most = `${MAX_LIFETIME_SECONDS / 60}m`;
    const why = `max-lifetime is 1s to ${most}: tokens live minutes, not days`;
    diagnostics.error("invalid-lifetime", why, c.span);
  }
  return c.seconds;
}

function buildContext(decl: GrantDecl, groups: GroupTable, diagnostics: DiagnosticList) {
  const ctx: { -readonly [K in keyof ContextConstraints]: ContextConstraints[K] } = {};
  for (const c of decl.clauses) {
    if (c.kind === "network") ctx.cidr = networkRanges(c, groups, diagnostics);
    else if (c.kind === "window") {
      const why = checkWindow(c.tz.value, c.start.value, c.end.value);
      if (why !== undefined) diagnostics.error("invalid-window", why, c.span);
      ctx.window = { tz: c.tz.value, days: c.days, start: c.start.value, end: c.end.value };
    } else if (c.kind === "artifact") {
      if (!isArtifactDigest(c.digest.value)) {
        const why = "an artifact digest is sha256:<64 lower-case hex digits>";
        diagnostics.error("invalid-artifact", why, c.digest.span);
      }
      ctx.artifact = c.digest.value;
    }
  }
  const flags = flagMap(
    decl.clauses.filter((c) => c.kind === "flag"),
    diagnostics,
  );
  if (Object.keys(flags).length > 0) ctx.flags = flags;
  return ctx;
}

function networkRanges(c: Of<"network">, groups: GroupTable, diagnostics: DiagnosticList) {
  if (c.items.length === 0)
    diagnostics.error("empty-list", "a network lists at least one range", c.span);
  const ranges: string[] = [];
  for (const item of c.items) {
    if ("kind" in item) {
      ranges.push(...groups.resolve(item, "networks", c.span.file));
      continue;
    }
    const why = checkCidr(item.value);
    if (why !== undefined) diagnostics.error("invalid-cidr", why, item.span);
    ranges.push(item.value);
  }
  const unique = [...new Set(ranges)];
  if (unique.length > MAX_RANGES) {
    diagnostics.error("too-many", `a network allows at most ${MAX_RANGES} ranges`, c.span);
  }
  return unique;
}

function flagMap(
  clauses: ReadonlyArray<{ name: Text; value: FlagValue }>,
  diagnostics: DiagnosticList,
): Record<string, FlagValue> {
  const out: Record<string, FlagValue> = Object.create(null) as Record<string, FlagValue>;
  for (const c of clauses) {
    if (c.name.value === "") diagnostics.error("invalid-flag", "a flag has a name", c.name.span);
    if (Object.hasOwn(out, c.name.value)) {
      diagnostics.error("duplicate-flag", `flag ${c.name.value} is set twice`, c.name.span);
    }
    out[c.name.value] = c.value;
  }
  return { ...out };
}

function buildStepUp(decl: GrantDecl, diagnostics: DiagnosticList): Grant["stepUp"] {
  const on: ContextConstraintName[] = [];
  for (const c of decl.clauses) {
    if (c.kind !== "step-up-on") continue;
    for (const word of c.items) {
      const name = Object.hasOwn(STEP_UP_NAMES, word.value) ? STEP_UP_NAMES[word.value] : undefined;
      if (name === undefined) {
        const why = `step-up on ${word.value}: expected ${Object.keys(STEP_UP_NAMES).join(", ")}`;
        diagnostics.error("invalid-step-up", why, word.span);
      } else if (!on.includes(name)) {
        on.push(name);
      }
    }
  }
  const when = flagMap(
    decl.clauses.filter((c) => c.kind === "step-up-when"),
    diagnostics,
  );
  return { on, when };
}
