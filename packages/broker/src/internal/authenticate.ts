import { createHash, timingSafeEqual } from "node:crypto";
import type { JWTVerifyGetKey } from "jose";
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { PulseBrokerError } from "../errors.js";
import type { IdentityIssuer, IdentityOptions, VerifiedIdentity } from "../identity.js";
import { DEVELOPMENT_ISSUER } from "../identity.js";

/** The outcome of authenticating a request's `Authorization` header. */
export type Authentication =
  | { readonly ok: true; readonly identity: VerifiedIdentity }
  | { readonly ok: false; readonly detail: string };

const ASYMMETRIC = [
  "EdDSA",
  "ES256",
  "ES384",
  "PS256",
  "PS384",
  "PS512",
  "RS256",
  "RS384",
  "RS512",
];
const DIGEST = /^sha256:[0-9a-f]{64}$/;

interface PreparedIssuer {
  readonly config: IdentityIssuer;
  readonly getKey: JWTVerifyGetKey;
}

/** Verifies identity assertions against the configured issuers and development keys. */
export class Authenticator {
  readonly #issuers = new Map<string, PreparedIssuer>();
  readonly #dev: ReadonlyArray<{ digest: Buffer; entry: DevIdentityEntry }>;

  constructor(options: IdentityOptions) {
    for (const config of options.issuers ?? []) {
      // Revocation admins name development keys by this issuer; a JWT issuer of the same name
      // would be indistinguishable from them.
      if (config.issuer === DEVELOPMENT_ISSUER) {
        const reserved = `issuer "${DEVELOPMENT_ISSUER}" is reserved for development keys`;
        throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", reserved);
      }
      // Without an audience jose skips the check, and an assertion minted for any other service
      // of the same identity provider would be accepted here.
      if (!validAudience(config.audience)) {
        const shown = JSON.stringify(config.issuer);
        throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", `issuer ${shown} needs an audience`);
      }
      const getKey =
        typeof config.jwks === "string" || config.jwks instanceof URL
          ? createRemoteJWKSet(new URL(config.jwks))
          : createLocalJWKSet(config.jwks as Parameters<typeof createLocalJWKSet>[0]);
      this.#issuers.set(config.issuer, { config, getKey });
    }
    const dev = options.development?.enabled === true ? options.development.identities : [];
    this.#dev = dev.map((entry) => ({ digest: sha256(entry.secret), entry }));
  }

  /** True when static development keys are switched on. */
  get developmentKeysOn(): boolean {
    return this.#dev.length > 0;
  }

  async authenticate(header: string | undefined): Promise<Authentication> {
    if (header === undefined || header === "") return fail("no Authorization header");

    const space = header.indexOf(" ");
    const scheme = space < 0 ? header : header.slice(0, space);
    const credential = space < 0 ? "" : header.slice(space + 1).trim();
    if (credential === "") return fail("empty credential");

    if (/^bearer$/i.test(scheme)) return this.#jwt(credential);
    if (scheme === "PulseDevKey") return this.#development(credential);
    return fail("unsupported authorization scheme");
  }

  async #jwt(token: string): Promise<Authentication> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return fail("identity assertion is not a JWT");
    }
    const issuer = typeof iss === "string" ? this.#issuers.get(iss) : undefined;
    if (issuer === undefined) return fail("identity issuer is not trusted");

    const { config, getKey } = issuer;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audience as string | string[],
        algorithms: ASYMMETRIC,
        requiredClaims: ["sub", "exp", "iat"],
        maxTokenAge: config.maxAgeSeconds ?? 3600,
        clockTolerance: 30,
      }));
    } catch (error) {
      return fail(`identity assertion rejected: ${(error as { code?: string }).code ?? "invalid"}`);
    }

    const sub = payload.sub;
    if (typeof sub !== "string" || sub === "" || sub.length > 256) return fail("bad sub claim");

    const claim = payload[config.artifactClaim ?? "artifact_digest"];
    if (claim !== undefined && (typeof claim !== "string" || !DIGEST.test(claim))) {
      return fail("artifact digest claim is not sha256:<64 hex>");
    }
    const principal = { class: config.principalClass ?? "service", id: sub } as const;
    const identity: VerifiedIdentity = {
      principal,
      issuer: config.issuer,
      method: "jwt",
      ...(claim && { artifact: claim }),
    };
    return { ok: true, identity };
  }

  #development(secret: string): Authentication {
    const digest = sha256(secret);
    const match = this.#dev.find((d) => timingSafeEqual(d.digest, digest));
    if (match === undefined) return fail("development key not recognised");

    const { principal, artifact } = match.entry;
    const identity: VerifiedIdentity = {
      principal,
      issuer: DEVELOPMENT_ISSUER,
      method: "development",
      ...(artifact !== undefined && { artifact }),
    };
    return { ok: true, identity };
  }
}

function validAudience(audience: unknown): boolean {
  const list = Array.isArray(audience) ? audience : [audience];
  return list.length > 0 && list.every((a) => typeof a === "string" && a !== "");
}

type DevIdentityEntry = NonNullable<IdentityOptions["development"]>["identities"][number];

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function fail(detail: string): Authentication {
  return { ok: false, detail };
}
