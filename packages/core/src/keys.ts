import type { JWK } from "jose";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import type { SigningAlgorithm } from "./claims.js";
import { SIGNING_ALGORITHMS } from "./claims.js";
import { PulseKeyError } from "./errors.js";

/** A public JWK as published in a PULSE key set. */
export interface PublicJwk extends JWK {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly use: "sig";
}

/** A JSON Web Key Set of public keys. */
export interface PublicJwks {
  readonly keys: readonly PublicJwk[];
}

/**
 * A broker signing key. The private key is a non-extractable-by-default `CryptoKey` held in a
 * non-enumerable property, so logging the object does not print it.
 */
export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: PublicJwk;
  readonly privateKey: CryptoKey;
}

/** A trusted public key, imported once. */
export interface TrustedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly key: CryptoKey;
}

/** Trusted public keys by `kid`. */
export type KeySet = ReadonlyMap<string, TrustedKey>;

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

function signingKey(kid: string, alg: SigningAlgorithm, pub: PublicJwk, key: CryptoKey) {
  const out = { kid, alg, publicJwk: pub } as SigningKey;
  Object.defineProperty(out, "privateKey", { value: key, enumerable: false });
  return Object.freeze(out);
}

async function publicJwk(jwk: JWK, alg: SigningAlgorithm, kid?: string): Promise<PublicJwk> {
  const base: JWK = {};
  for (const member of ["kty", "crv", "x", "y"] as const) {
    if (jwk[member] !== undefined) base[member] = jwk[member];
  }
  const id = kid ?? (await calculateJwkThumbprint(base, "sha256"));
  return { ...base, kid: id, alg, use: "sig" };
}

function algorithm(value: unknown): SigningAlgorithm {
  const alg = SIGNING_ALGORITHMS.find((a) => a === value);
  if (alg === undefined) throw new PulseKeyError(`algorithm ${String(value)} is not allowed`);
  return alg;
}

/**
 * Generates a signing key pair. The `kid` is the key's RFC 7638 thumbprint.
 *
 * @param options - `alg`: `EdDSA` (Ed25519, the default) or `ES256`; `extractable`: allow
 *   {@link exportSigningKey} (default `false`).
 *
 * @example
 * ```ts
 * const key = await generateSigningKey();
 * const jwks = exportJwks([key]);
 * ```
 */
export async function generateSigningKey(
  options: { alg?: SigningAlgorithm; extractable?: boolean } = {},
): Promise<SigningKey> {
  const alg = algorithm(options.alg ?? "EdDSA");
  const pair = await generateKeyPair(alg, { extractable: options.extractable ?? false });
  const pub = await publicJwk(await exportJWK(pair.publicKey), alg);
  return signingKey(pub.kid, alg, pub, pair.privateKey);
}

/**
 * Exports a signing key as a private JWK, for storage by the broker.
 *
 * > **Warning:** the result holds private key material. Store it encrypted or in a secret
 * > manager; never log it.
 */
export async function exportSigningKey(key: SigningKey): Promise<JWK> {
  if (!key.privateKey.extractable) throw new PulseKeyError(`key ${key.kid} is not extractable`);
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: key.alg };
}

/**
 * Imports a private JWK written by {@link exportSigningKey}.
 *
 * @throws {@link PulseKeyError} when the JWK is not an EdDSA or ES256 private key with a `kid`.
 */
export async function importSigningKey(jwk: JWK): Promise<SigningKey> {
  const alg = algorithm(jwk.alg);
  if (typeof jwk.kid !== "string" || jwk.kid === "") throw new PulseKeyError("key has no kid");

  if (typeof jwk.d !== "string") throw new PulseKeyError(`key ${jwk.kid} is not a private key`);

  let key: CryptoKey;
  try {
    key = (await importJWK(jwk, alg)) as CryptoKey;
  } catch (error) {
    throw new PulseKeyError(`key ${jwk.kid} cannot be imported`, { cause: error });
  }
  return signingKey(jwk.kid, alg, await publicJwk(jwk, alg, jwk.kid), key);
}

/**
 * The public JWK set for a list of signing keys (or public JWKs), ready to publish.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(exportJwks([currentKey, previousKey]));
 * ```
 */
export function exportJwks(keys: ReadonlyArray<SigningKey | PublicJwk>): PublicJwks {
  return { keys: keys.map((k) => ("publicJwk" in k ? k.publicJwk : k)) };
}

/**
 * Imports a JWK set of trusted public keys, once, for a verifier.
 *
 * Refuses symmetric keys, keys with private members, keys without `kid` or with an algorithm
 * other than EdDSA or ES256, and duplicate `kid`s: a key set that cannot be trusted whole is not
 * used at all.
 *
 * @throws {@link PulseKeyError}
 */
export async function importKeySet(jwks: unknown): Promise<KeySet> {
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0) {
    throw new PulseKeyError("key set must have a non-empty keys array");
  }

  const out = new Map<string, TrustedKey>();
  for (const jwk of list as JWK[]) {
    const kid = jwk?.kid;
    if (typeof kid !== "string" || kid === "") throw new PulseKeyError("every key needs a kid");

    if (out.has(kid)) throw new PulseKeyError(`kid ${kid} appears twice`);

    if (jwk.kty === "oct") throw new PulseKeyError(`key ${kid} is symmetric`);

    if (PRIVATE_MEMBERS.some((m) => m in jwk)) {
      throw new PulseKeyError(`key ${kid} carries private key material`);
    }

    const alg = algorithm(jwk.alg);
    try {
      out.set(kid, { kid, alg, key: (await importJWK(jwk, alg)) as CryptoKey });
    } catch (error) {
      throw new PulseKeyError(`key ${kid} cannot be imported`, { cause: error });
    }
  }
  return out;
}
