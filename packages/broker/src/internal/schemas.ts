import { ACTIONS } from "@pulse/core";

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
          resource: { type: "string", minLength: 1, maxLength: 1024 },
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
    jti: { type: "string", minLength: 1, maxLength: 256 },
    principal: { type: "string", minLength: 1, maxLength: 256 },
    grant: { type: "string", minLength: 1, maxLength: 256 },
    reason: { type: "string", maxLength: 1024 },
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
