import type { JWTVerifyGetKey } from "jose";
import { jwtVerify } from "jose";
import { SIGNING_ALGORITHMS, TOKEN_TYPE } from "../claims.js";
import type { KeySet } from "../keys.js";
import type { CompactToken, TokenRejection } from "./compact-token.js";

/** Trusted keys: imported once locally, or a remote JWKS resolved by jose. */
// jose insists on checking exp/nbf; a tolerance of about a century leaves that to the verifier.
const TIMES_CHECKED_BY_VERIFIER = 100 * 365 * 86_400;

export type KeySource =
  | { readonly kind: "local"; readonly keys: KeySet }
  | { readonly kind: "remote"; readonly getKey: JWTVerifyGetKey };

type VerifyOptions = Parameters<typeof jwtVerify>[2] & object;

// Anything that goes wrong while fetching or choosing a remote key (an HTTP error, a timeout, an
// unknown kid) means no trusted key, whatever error jose raised for it.
async function verifyRemote(token: string, getKey: JWTVerifyGetKey, options: VerifyOptions) {
  let keyFailure: { code?: string } | undefined;
  const resolve: JWTVerifyGetKey = async (header, input) => {
    try {
      return await getKey(header, input);
    } catch (error) {
      keyFailure = (error ?? {}) as { code?: string };
      throw error;
    }
  };

  try {
    await jwtVerify(token, resolve, { ...options, algorithms: [...SIGNING_ALGORITHMS] });
    return undefined;
  } catch (error) {
    if (keyFailure === undefined) return rejection(error);
    if (keyFailure.code === "ERR_JWKS_NO_MATCHING_KEY") return rejection(keyFailure);
    return { reason: "bad-signature" as const, detail: "trusted key set unavailable" };
  }
}

export interface SignatureCheck {
  readonly issuer: string;
  readonly audience: string;
  readonly now: Date;
}

function rejection(error: unknown): TokenRejection {
  const { code, claim } = error as { code?: string; claim?: string };
  switch (code) {
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return { reason: "bad-signature", detail: "signature does not verify" };
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return { reason: "bad-signature", detail: "algorithm does not match the key" };
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return { reason: "bad-signature", detail: "no trusted key for this kid" };
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
      return { reason: "bad-signature", detail: "trusted key set unavailable" };
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (claim === "aud") return { reason: "wrong-audience", detail: "audience not accepted" };
      if (claim === "iss") return { reason: "bad-signature", detail: "issuer not trusted" };
      return { reason: "malformed", detail: `claim ${claim ?? "?"} invalid` };
    default:
      return { reason: "malformed", detail: "token failed verification" };
  }
}

/**
 * Verifies the signature, `typ`, issuer and audience with jose, with an explicit algorithm
 * allow-list. Times are left to the verifier (jose gets a century of tolerance) so that fresh
 * and cached tokens go through one time check.
 */
export async function verifySignature(
  token: string,
  compact: CompactToken,
  source: KeySource,
  check: SignatureCheck,
): Promise<TokenRejection | undefined> {
  const options = {
    typ: TOKEN_TYPE,
    issuer: check.issuer,
    audience: check.audience,
    currentDate: check.now,
    clockTolerance: TIMES_CHECKED_BY_VERIFIER,
    requiredClaims: ["iss", "sub", "aud", "iat", "nbf", "exp", "jti"],
  };

  try {
    if (source.kind === "remote") return await verifyRemote(token, source.getKey, options);

    const trusted = source.keys.get(compact.kid);
    if (trusted === undefined) {
      return { reason: "bad-signature", detail: "no trusted key for this kid" };
    }
    await jwtVerify(token, trusted.key, { ...options, algorithms: [trusted.alg] });
    return undefined;
  } catch (error) {
    return rejection(error);
  }
}
