import { ACTIONS } from "@pulse/core";

/**
 * Name of the string format for text that is stored and logged: no control characters (C0, DEL,
 * C1) and no unpaired surrogates. PostgreSQL refuses NUL and unpaired surrogates in JSON, so
 * such a string would make the revocation or its audit row fail to store.
 */
export const PRINTABLE_TEXT = "printable-text";

// C0 and C1 controls, and a high or low surrogate without its partner.
const UNPRINTABLE = new RegExp(
  [
    "[\\u0000-\\u001f\\u007f-\\u009f]",
    "[\\ud800-\\udbff](?![\\udc00-\\udfff])",
    "(?<![\\ud800-\\udbff])[\\udc00-\\udfff]",
  ].join("|"),
);

/** True when `text` has no control character and no unpaired surrogate. */
export function isPrintableText(text: string): boolean {
  return !UNPRINTABLE.test(text);
}

/** Most resources one token request may name. */
export const MAX_REQUESTS = 16;

/** JSON schema of `POST /v1/tokens`. */
export const tokenRequestSchema = {
  type: "object",
  additionalProperties: false,
  required: ["audience", "requests"],
  properties: {
    audience: { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9:._/-]+$" },
    requests: {
      type: "array",
      minItems: 1,
      maxItems: MAX_REQUESTS,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["resource", "action"],
        properties: {
          resource: { type: "string", minLength: 1, maxLength: 1024, format: PRINTABLE_TEXT },
          action: { type: "string", enum: [...ACTIONS] },
        },
      },
    },
  },
} as const;

/** JSON schema of `POST /v1/revocations`: exactly one of `jti`, `principal`, `grant`. */
export const revocationRequestSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 2,
  properties: {
    jti: { type: "string", minLength: 1, maxLength: 256, format: PRINTABLE_TEXT },
    principal: { type: "string", minLength: 1, maxLength: 256, format: PRINTABLE_TEXT },
    grant: { type: "string", minLength: 1, maxLength: 256, format: PRINTABLE_TEXT },
    reason: { type: "string", maxLength: 1024, format: PRINTABLE_TEXT },
  },
  oneOf: [{ required: ["jti"] }, { required: ["principal"] }, { required: ["grant"] }],
} as const;

/** JSON schema of the query of `GET /v1/revocations`. */
export const revocationQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    since: { type: "string", pattern: "^(0|[1-9][0-9]{0,17})$" },
    limit: { type: "string", pattern: "^[1-9][0-9]{0,3}$" },
  },
} as const;

/** Body of `POST /v1/tokens` once validated. */
export interface TokenRequestBody {
  readonly audience: string;
  readonly requests: ReadonlyArray<{
    readonly resource: string;
    readonly action: (typeof ACTIONS)[number];
  }>;
}

/** Body of `POST /v1/revocations` once validated. */
export interface RevocationRequestBody {
  readonly jti?: string;
  readonly principal?: string;
  readonly grant?: string;
  readonly reason?: string;
}
