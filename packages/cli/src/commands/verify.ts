import { readFile } from "node:fs/promises";
import type { AccessRequest, Action, Decision, PublicJwks, RemoteKeys } from "@pulse/core";
import { ACTIONS, createVerifier, noRevocation } from "@pulse/core";
import { PulseCliError } from "../errors.js";
import { parseCommandLine, required, usageError } from "../internal/args.js";
import type { CliIo } from "../internal/io.js";
import { say, sayJson } from "../internal/io.js";
import { describeExpiry, isoTime } from "../internal/time.js";
import { tokenArgument } from "../internal/token-argument.js";

export const VERIFY_USAGE = `usage: pulse verify TOKEN|- --jwks FILE|URL --issuer ISS --audience AUD
         --resource URI --action ACTION [--source-ip IP] [--flag NAME=VALUE]... [--prefix] [--json]

Runs @pulse/core's verifier on the token for one request and prints the decision: allow, or
deny / step-up with its reason code and detail. Give - to read the token from standard input.

  --jwks FILE|URL     the broker's public keys: a JWKS file, or its http(s) URL
                      (e.g. http://127.0.0.1:8600/.well-known/jwks.json)
  --issuer ISS        the broker's issuer id; tokens from anyone else are refused
  --audience AUD      the service the verifier stands for (s3, pg:appdb, vault)
  --resource URI      what the request touches (s3://bucket/key, pg://db/schema.table, ...)
  --action ACTION     read, write, delete, list or admin
  --source-ip IP      the caller's address, for a network constraint
  --flag NAME=VALUE   a context flag (true and false are booleans; repeatable)
  --prefix            the resource is a listing prefix, not one object
  --json              print the decision as JSON

Revocations are not checked: this verifier holds no revocation data.
Exit status: 0 allow; 2 deny or step-up; 1 bad arguments or unusable keys.`;

const REVOCATION_NOTE = "revocation not checked (the command holds no revocation data)";

async function keySource(jwks: string): Promise<PublicJwks | RemoteKeys> {
  if (/^https?:\/\//i.test(jwks)) return { url: jwks };

  let text: string;
  try {
    text = await readFile(jwks, "utf8");
  } catch (error) {
    throw new PulseCliError("ERR_PULSE_CLI_INPUT", `cannot read --jwks ${jwks}`, { cause: error });
  }
  try {
    return JSON.parse(text) as PublicJwks;
  } catch (error) {
    throw new PulseCliError("ERR_PULSE_CLI_INPUT", `--jwks ${jwks} is not JSON`, { cause: error });
  }
}

function flags(entries: readonly string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const entry of entries) {
    const equals = entry.indexOf("=");
    if (equals < 1) throw usageError(`--flag ${entry}: expected NAME=VALUE`, VERIFY_USAGE);
    const value = entry.slice(equals + 1);
    out[entry.slice(0, equals)] = value === "true" ? true : value === "false" ? false : value;
  }
  return out;
}

function action(value: string): Action {
  const found = ACTIONS.find((a) => a === value);
  if (found === undefined) {
    throw usageError(`--action ${value}: expected one of ${ACTIONS.join(", ")}`, VERIFY_USAGE);
  }
  return found;
}

function printDecision(io: CliIo, decision: Decision, request: AccessRequest): void {
  const verdict = decision.outcome === "allow" ? "allow" : `${decision.outcome} ${decision.reason}`;
  say(io, `${verdict}: ${request.action} ${request.resource}`);
  if (decision.outcome !== "allow") say(io, `  detail    ${decision.detail}`);
  const claims = decision.claims;
  if (claims !== undefined) {
    say(io, `  subject   ${claims.sub} (${claims.pcl})`);
    say(io, `  grant     ${claims.grt.id} (policy ${claims.grt.ver})`);
    say(io, `  expires   ${isoTime(claims.exp)} (${describeExpiry(claims.exp, Date.now())})`);
  }
  say(io, `  note      ${REVOCATION_NOTE}`);
}

/** `pulse verify`: run core's verifier on a token and print the decision. */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    {
      jwks: { type: "string" },
      issuer: { type: "string" },
      audience: { type: "string" },
      resource: { type: "string" },
      action: { type: "string" },
      "source-ip": { type: "string" },
      flag: { type: "string", multiple: true },
      prefix: { type: "boolean" },
      json: { type: "boolean" },
    },
    VERIFY_USAGE,
  );
  if (values.help) {
    say(io, VERIFY_USAGE);
    return 0;
  }

  const jwks = required(values.jwks, "--jwks FILE|URL", VERIFY_USAGE);
  const issuer = required(values.issuer, "--issuer ISS", VERIFY_USAGE);
  const audience = required(values.audience, "--audience AUD", VERIFY_USAGE);
  const resource = required(values.resource, "--resource URI", VERIFY_USAGE);
  const request: AccessRequest = {
    resource,
    action: action(required(values.action, "--action ACTION", VERIFY_USAGE)),
    ...(values.prefix === true && { match: "prefix" as const }),
  };
  const context = {
    ...(values["source-ip"] !== undefined && { sourceIp: values["source-ip"] }),
    flags: flags(values.flag ?? []),
  };
  const token = await tokenArgument(positionals, io, VERIFY_USAGE);

  const verifier = await createVerifier({
    keys: await keySource(jwks),
    issuer,
    audience,
    revocation: noRevocation(),
    cacheSize: 0,
  });
  const decision = await verifier.check(token, request, { context, operation: "pulse verify" });

  if (values.json) {
    sayJson(io, {
      outcome: decision.outcome,
      ...(decision.outcome !== "allow" && { reason: decision.reason, detail: decision.detail }),
      request,
      ...(decision.claims !== undefined && { claims: decision.claims }),
      revocationChecked: false,
    });
  } else {
    printDecision(io, decision, request);
  }
  return decision.outcome === "allow" ? 0 : 2;
}
