import type { PrincipalClass } from "@pulse/core";

/**
 * The issuer recorded for callers who present a development key. No identity issuer may be
 * configured under this name.
 */
export const DEVELOPMENT_ISSUER = "development";

/** An OIDC-style issuer whose JWTs the broker accepts as identity assertions. */
export interface IdentityIssuer {
  /** The `iss` value. Any string but `"development"`, which stands for development keys. */
  readonly issuer: string;
  /** Its JWKS: an `https://…/jwks.json` URL (fetched and cached by jose) or an inline set. */
  readonly jwks: string | URL | { readonly keys: readonly object[] };
  /** Audience the assertion must name (the broker's own id). */
  readonly audience: string | readonly string[];
  /** Principal class of its subjects. Default `service`. */
  readonly principalClass?: PrincipalClass;
  /** Claim holding the code-artifact digest (`sha256:<hex>`). Default `artifact_digest`. */
  readonly artifactClaim?: string;
  /** Oldest assertion accepted (`iat`), in seconds. Default 3600. */
  readonly maxAgeSeconds?: number;
}

/** A static development identity, accepted as `Authorization: PulseDevKey <secret>`. */
export interface DevelopmentIdentity {
  readonly principal: { readonly class: PrincipalClass; readonly id: string };
  readonly secret: string;
  /** Artifact digest this identity is taken to run, if any. */
  readonly artifact?: string;
}

/** How callers prove who they are. */
export interface IdentityOptions {
  /** Issuers of identity JWTs, presented as `Authorization: Bearer <jwt>`. */
  readonly issuers?: readonly IdentityIssuer[];
  /**
   * Static development keys. Off unless `enabled` is `true`; when on, the broker logs a warning
   * at start.
   *
   * > **Warning:** a static secret proves only that the caller has read a file. Never switch
   * > this on outside a developer's machine.
   */
  readonly development?: {
    readonly enabled: boolean;
    readonly identities: readonly DevelopmentIdentity[];
  };
}

/** Who the caller is, as verified by the broker. */
export interface VerifiedIdentity {
  readonly principal: { readonly class: PrincipalClass; readonly id: string };
  /** The `iss` of the verified assertion, or `"development"` for a development key. */
  readonly issuer: string;
  /** The code-artifact digest from the verified assertion, if it carries one. */
  readonly artifact?: string;
  /** How the identity was proven: `jwt` or `development`. */
  readonly method: "jwt" | "development";
}
