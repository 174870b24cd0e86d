import type { CapabilityClaims, ContextConstraints } from "@pulse/core";
import { createVerifier, noRevocation, parseClaims, SIGNING_ALGORITHMS } from "@pulse/core";
import { PulseCliError } from "../errors.js";
import { parseCommandLine } from "../internal/args.js";
import type { CliIo } from "../internal/io.js";
import { say, sayJson, warn } from "../internal/io.js";
import { describeDuration, describeExpiry, describeInstant, isoTime } from "../internal/time.js";
import { tokenArgument } from "../internal/token-argument.js";

export const INSPECT_USAGE = `usage: pulse inspect TOKEN|- [--json]

Decodes a PULSE capability token WITHOUT verifying it and prints its header and claims:
resources and actions, context constraints, justification, grant, and its times.
Give - to read the token from standard input (keeps it out of shell history).
Use \`pulse verify\` to learn whether a verifier would accept it.

  --json   print { verified: false, header, claims, problems } as JSON

Exit status: 0 decoded; 1 the token does not decode, or core's checks refuse its form.`;

const NOT_VERIFIED =
  "NOT VERIFIED: decoded without checking the signature. Anyone can write a token that " +
  "decodes like this; only `pulse verify` with the broker's keys says whether to trust it.";

const HEADER_MEMBERS = ["alg", "typ", "kid"];

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    throw new PulseCliError("ERR_PULSE_CLI_INPUT", `the token's ${what} is not base64url JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PulseCliError("ERR_PULSE_CLI_INPUT", `the token's ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** What core's verifier refuses about the token's form, before any key is needed. */
async function formProblems(token: string, header: Record<string, unknown>): Promise<string[]> {
  const problems: string[] = [];
  if (!(SIGNING_ALGORITHMS as readonly unknown[]).includes(header["alg"])) {
    problems.push(`algorithm ${JSON.stringify(header["alg"])} is refused by every verifier`);
  }

  // A verifier trusting no key runs every check that comes before the signature (compact form,
  // canonical base64url, strict JSON without duplicate members, header rules), then stops at
  // the signature with "no trusted key". Any other answer names a problem of form.
  const verifier = await createVerifier({
    keys: new Map(),
    issuer: "pulse-inspect",
    audience: "pulse-inspect",
    revocation: noRevocation(),
    cacheSize: 0,
  });
  const decision = await verifier.check(token, { resource: "s3://inspect/x", action: "read" });
  if (decision.outcome !== "allow" && decision.reason === "malformed") {
    problems.push(decision.detail);
  }
  return problems;
}

function claimProblem(payload: Record<string, unknown>): string | undefined {
  try {
    parseClaims(payload);
    return undefined;
  } catch (error) {
    return `claims: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(12)} ${value}`;
}

function contextRows(ctx: ContextConstraints | undefined): string[] {
  if (ctx === undefined || Object.keys(ctx).length === 0)
    return ["  (none: no network, window, flag or artifact constraint)"];

  const rows: string[] = [];
  if (ctx.cidr !== undefined) rows.push(row("network", ctx.cidr.join(", ")));
  if (ctx.window !== undefined) {
    const w = ctx.window;
    rows.push(row("window", `${w.days.join(",")} ${w.start}-${w.end} in ${w.tz}`));
  }
  for (const [name, value] of Object.entries(ctx.flags ?? {})) {
    rows.push(row("flag", `${JSON.stringify(name)} = ${JSON.stringify(value)}`));
  }
  if (ctx.artifact !== undefined) rows.push(row("artifact", ctx.artifact));
  if (ctx.stepUp !== undefined) rows.push(row("step-up on", ctx.stepUp.join(", ")));
  return rows;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "(missing)");
}

function timeRow(label: string, value: unknown, describe: (n: number) => string): string {
  if (typeof value !== "number") return row(label, `(missing or not a number: ${text(value)})`);
  return row(label, `${isoTime(value)} (${describe(value)})`);
}

function printClaims(io: CliIo, claims: Partial<CapabilityClaims>, nowMs: number): void {
  const aud = Array.isArray(claims.aud) ? claims.aud.join(", ") : text(claims.aud);
  say(io, "claims");
  say(io, row("issuer", text(claims.iss)));
  say(io, row("subject", `${text(claims.sub)} (${text(claims.pcl)})`));
  say(io, row("audience", aud));
  say(io, row("token id", text(claims.jti)));
  say(
    io,
    timeRow("issued", claims.iat, (n) => describeInstant(n, nowMs)),
  );
  say(
    io,
    timeRow("not before", claims.nbf, (n) => describeInstant(n, nowMs)),
  );
  say(
    io,
    timeRow("expires", claims.exp, (n) => describeExpiry(n, nowMs)),
  );
  if (typeof claims.exp === "number" && typeof claims.iat === "number") {
    say(io, row("lifetime", describeDuration((claims.exp - claims.iat) * 1000)));
  }
  say(io);

  say(io, "capabilities (resource: actions)");
  for (const c of Array.isArray(claims.cap) ? claims.cap : []) {
    say(io, `  ${text(c?.res)}: ${Array.isArray(c?.act) ? c.act.join(", ") : text(c?.act)}`);
  }
  say(io);

  say(io, "context constraints");
  for (const line of contextRows(claims.ctx)) say(io, line);
  say(io);

  say(io, "justification");
  say(io, row("reference", text(claims.jus?.ref)));
  const lines = text(claims.jus?.txt).split("\n");
  say(io, row("text", lines[0] ?? ""));
  for (const line of lines.slice(1)) say(io, row("", line));
  say(io);

  say(io, "grant");
  say(io, row("id", text(claims.grt?.id)));
  say(io, row("policy", text(claims.grt?.ver)));
}

/** `pulse inspect`: decode and print a token without verifying it. */
export async function inspectCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { json: { type: "boolean" } },
    INSPECT_USAGE,
  );
  if (values.help) {
    say(io, INSPECT_USAGE);
    return 0;
  }

  const token = await tokenArgument(positionals, io, INSPECT_USAGE);
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new PulseCliError(
      "ERR_PULSE_CLI_INPUT",
      "not a capability token: expected three base64url parts separated by dots",
    );
  }

  const decoded = decodeSegment(parts[0]!, "header");
  const payload = decodeSegment(parts[1]!, "payload");
  // Only the members a PULSE header may carry are shown: a forged header could hold a key.
  const header = Object.fromEntries(HEADER_MEMBERS.map((m) => [m, decoded[m]]));
  const otherMembers = Object.keys(decoded).filter((m) => !HEADER_MEMBERS.includes(m));
  const problems = await formProblems(token, decoded);
  if (otherMembers.length > 0) {
    problems.push(`header members not shown (refused by verifiers): ${otherMembers.join(", ")}`);
  }
  const claimIssue = claimProblem(payload);
  if (claimIssue !== undefined) problems.push(claimIssue);

  if (values.json) {
    warn(io, `warning: ${NOT_VERIFIED}`);
    sayJson(io, { verified: false, warning: NOT_VERIFIED, header, claims: payload, problems });
    return problems.length === 0 ? 0 : 1;
  }

  say(io, `!! ${NOT_VERIFIED}`);
  say(io);
  say(io, "header");
  for (const m of HEADER_MEMBERS) say(io, row(m, text(header[m])));
  say(io);
  printClaims(io, payload as Partial<CapabilityClaims>, Date.now());
  if (problems.length > 0) {
    say(io);
    say(io, "problems (a verifier refuses this token whatever its signature)");
    for (const p of problems) say(io, `  - ${p}`);
  }
  return problems.length === 0 ? 0 : 1;
}
