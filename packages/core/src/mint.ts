import { SignJWT } from "jose";
import type { CapabilityClaims } from "./claims.js";
import { TOKEN_TYPE } from "./claims.js";
import { PulseClaimsError } from "./errors.js";
import { parseClaims } from "./internal/claims-schema.js";
import type { SigningKey } from "./keys.js";

/** What {@link mint} needs: every claim but the times and the id, plus a lifetime. */
export type MintInput = Omit<CapabilityClaims, "iat" | "nbf" | "exp" | "jti" | "ctx"> & {
  readonly ctx?: CapabilityClaims["ctx"];
  /** Lifetime in seconds. */
  readonly lifetimeSeconds: number;
  /** Token id; a random UUID by default. */
  readonly jti?: string;
};

/** Options for {@link mint}. */
export interface MintOptions {
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Longest lifetime accepted, in seconds. Default 3600. */
  readonly maxLifetimeSeconds?: number;
}

/**
 * Signs a capability token. The claims are checked against the claim model first, so a token
 * that a verifier would call `malformed` is never produced.
 *
 * @returns The token in JWS compact form, header `{ alg, typ: "pulse+jwt", kid }`.
 * @throws {@link PulseClaimsError} for invalid claims or a lifetime over the maximum.
 *
 * @example
 * ```ts
 * const token = await mint(
 *   {
 *     iss: "https://broker.internal", sub: "svc:reporting", aud: "s3", pcl: "service",
 *     cap: [{ res: "s3://acme-reports/team-a/*", act: ["read", "write"] }],
 *     jus: { ref: "CHG-1042", txt: "Nightly report export" },
 *     grt: { id: "reporting-export", ver: "sha256:…" },
 *     lifetimeSeconds: 300,
 *   },
 *   key,
 * );
 * ```
 */
export async function mint(
  input: MintInput,
  key: SigningKey,
  options: MintOptions = {},
): Promise<string> {
  const max = options.maxLifetimeSeconds ?? 3600;
  const lifetime = input.lifetimeSeconds;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0 || lifetime > max) {
    throw new PulseClaimsError("exp", `lifetime must be 1 to ${max} seconds`);
  }

  const iat = Math.floor((options.now ?? Date.now)() / 1000);
  const { lifetimeSeconds: _lifetime, ...rest } = input;
  const claims = parseClaims({
    ...rest,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    jti: input.jti ?? crypto.randomUUID(),
    ctx: input.ctx ?? {},
  });

  return new SignJWT({ ...claims, aud: claims.aud as string | string[] })
    .setProtectedHeader({ alg: key.alg, typ: TOKEN_TYPE, kid: key.kid })
    .sign(key.privateKey);
}
