import { parse as parseJsonAst } from "@humanwhocodes/momoa";
import { base64url } from "jose";
import type { DenyReason } from "../decision.js";
import { SIGNING_ALGORITHMS, TOKEN_TYPE } from "../claims.js";

/** A token that passed the pre-checks: its header and (still unverified) payload. */
export interface CompactToken {
  readonly kid: string;
  readonly alg: string;
  readonly payload: unknown;
}

/** Why a token failed its pre-checks. */
export interface TokenRejection {
  readonly reason: DenyReason;
  readonly detail: string;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;
const KEY_CHOOSING = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"];
const HEADER_MEMBERS = ["alg", "typ", "kid"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

type Node = { type: string; [k: string]: unknown };

// JSON.parse keeps the last of two equal member names, so a payload could show one `cap` to a
// reviewer's decoder and another to the verifier. The AST parser decodes escapes in names, so
// `"cap"` and `"\u0063ap"` count as the same name.
function duplicateMember(node: Node): string | undefined {
  if (node.type === "Object") {
    const seen = new Set<string>();
    for (const member of node["members"] as Array<{ name: { value: string }; value: Node }>) {
      if (seen.has(member.name.value)) return member.name.value;
      seen.add(member.name.value);
      const inner = duplicateMember(member.value);
      if (inner !== undefined) return inner;
    }
  }
  if (node.type === "Array") {
    for (const element of node["elements"] as Array<{ value: Node }>) {
      const inner = duplicateMember(element.value);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

// Base64url's last character can carry bits that decoding drops, so several strings decode to
// the same bytes. Only the canonical spelling is accepted: one token, one string.
function canonicalBase64url(segment: string): Uint8Array {
  const bytes = base64url.decode(segment);
  if (base64url.encode(bytes) !== segment) throw new TypeError("not canonical base64url");
  return bytes;
}

function decodeJson(segment: string, what: string): { value: unknown } | TokenRejection {
  let text: string;
  try {
    text = utf8.decode(canonicalBase64url(segment));
  } catch {
    return { reason: "malformed", detail: `${what} is not canonical base64url-encoded UTF-8` };
  }

  let ast: { body: Node };
  let value: unknown;
  try {
    ast = parseJsonAst(text, { mode: "json" }) as unknown as { body: Node };
    value = JSON.parse(text);
  } catch {
    return { reason: "malformed", detail: `${what} is not JSON` };
  }

  const duplicate = duplicateMember(ast.body);
  if (duplicate !== undefined) {
    return { reason: "malformed", detail: `${what} has member ${JSON.stringify(duplicate)} twice` };
  }

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { reason: "malformed", detail: `${what} is not a JSON object` };
  }
  return { value };
}

function checkHeader(header: Record<string, unknown>): TokenRejection | undefined {
  const alg = header["alg"];
  if (typeof alg !== "string" || !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    const shown = typeof alg === "string" ? alg.slice(0, 20) : typeof alg;
    return { reason: "bad-signature", detail: `algorithm ${JSON.stringify(shown)} refused` };
  }

  for (const name of KEY_CHOOSING) {
    if (name in header) return { reason: "malformed", detail: `header member ${name} refused` };
  }

  if ("crit" in header) return { reason: "malformed", detail: "header member crit refused" };

  const unknown = Object.keys(header).find((k) => !HEADER_MEMBERS.includes(k));
  if (unknown !== undefined) {
    return { reason: "malformed", detail: `unknown header member ${unknown.slice(0, 40)}` };
  }

  if (header["typ"] !== TOKEN_TYPE)
    return { reason: "malformed", detail: `typ must be ${TOKEN_TYPE}` };

  const kid = header["kid"];
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 128) {
    return { reason: "malformed", detail: "kid missing or too long" };
  }
  return undefined;
}

/**
 * Checks everything that can be checked before a signature: size, compact form, base64url,
 * strict JSON without duplicate member names, and the header rules (algorithm allow-list, no
 * key-choosing members, no `crit`, exact `typ`, a `kid`).
 */
export function precheckToken(token: unknown, maxBytes: number): CompactToken | TokenRejection {
  if (typeof token !== "string" || token.length === 0) {
    return { reason: "malformed", detail: "no capability token" };
  }

  if (token.length > maxBytes) {
    return { reason: "malformed", detail: `token longer than ${maxBytes} bytes` };
  }

  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) {
    return { reason: "malformed", detail: "not a JWS in compact form" };
  }
  const [head, body, signature] = parts as [string, string, string];

  const header = decodeJson(head, "header");
  if (!("value" in header)) return header;

  const headerProblem = checkHeader(header.value as Record<string, unknown>);
  if (headerProblem !== undefined) return headerProblem;

  const payload = decodeJson(body, "payload");
  if (!("value" in payload)) return payload;

  if (signature.length === 0) return { reason: "bad-signature", detail: "no signature" };

  try {
    canonicalBase64url(signature);
  } catch {
    return { reason: "malformed", detail: "signature is not canonical base64url" };
  }

  const h = header.value as { kid: string; alg: string };
  return { kid: h.kid, alg: h.alg, payload: payload.value };
}
