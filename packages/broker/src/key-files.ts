import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SigningKey } from "@pulse/core";
import { exportSigningKey, generateSigningKey, importSigningKey } from "@pulse/core";
import { CompactEncrypt, compactDecrypt } from "jose";
import { PulseBrokerError } from "./errors.js";

const KEY_WRAP = "PBES2-HS512+A256KW";
/** PBES2 iterations; jose takes them from the key-management parameters, not the header. */
const ITERATIONS = 310_000;

function keyError(message: string, cause?: unknown): PulseBrokerError {
  return new PulseBrokerError("ERR_PULSE_BROKER_KEYS", message, { cause });
}

/**
 * Loads the broker's signing keys from `dir`: one JWE file per key (`*.jwe`, a private JWK
 * encrypted with PBES2 under `passphrase`). The file whose name sorts last is the current key;
 * the others stay published while tokens they signed live. An empty directory gets a new key.
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_KEYS` when a file cannot be decrypted
 *   (wrong passphrase, damaged file) or holds no usable key.
 *
 * @example
 * ```ts
 * const keys = await loadKeyDirectory("./keys", process.env.PULSE_BROKER_KEY_PASSPHRASE!);
 * createBroker({ keys, ... });
 * ```
 */
export async function loadKeyDirectory(dir: string, passphrase: string): Promise<SigningKey[]> {
  if (passphrase.length < 12) throw keyError("the key passphrase must have at least 12 characters");

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = (await readdir(dir))
    .filter((f) => f.endsWith(".jwe"))
    .sort()
    .reverse();
  if (files.length === 0) return [await addKeyFile(dir, passphrase)];

  const secret = new TextEncoder().encode(passphrase);
  const keys: SigningKey[] = [];
  for (const file of files) {
    let plaintext: Uint8Array;
    try {
      const jwe = (await readFile(join(dir, file), "utf8")).trim();
      ({ plaintext } = await compactDecrypt(jwe, secret, {
        keyManagementAlgorithms: [KEY_WRAP],
        maxPBES2Count: ITERATIONS,
      }));
    } catch (error) {
      throw keyError(`key file ${file} cannot be decrypted`, error);
    }

    let jwk: unknown;
    try {
      jwk = JSON.parse(new TextDecoder().decode(plaintext));
    } catch {
      // No cause: the parser's message quotes the decrypted text, which is private key material.
      throw keyError(`key file ${file} does not hold a JSON key`);
    }
    keys.push(await importSigningKey(jwk as Parameters<typeof importSigningKey>[0]));
  }
  return keys;
}

/**
 * Generates a signing key and writes it to `dir`, encrypted under `passphrase`. Named so that it
 * sorts after every existing key file: {@link loadKeyDirectory} then makes it current.
 *
 * @example
 * ```ts
 * await addKeyFile("./keys", process.env.PULSE_BROKER_KEY_PASSPHRASE!); // current after restart
 * ```
 */
export async function addKeyFile(dir: string, passphrase: string): Promise<SigningKey> {
  const key = await generateSigningKey({ extractable: true });
  const plaintext = new TextEncoder().encode(JSON.stringify(await exportSigningKey(key)));
  const jwe = await new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: KEY_WRAP, enc: "A256GCM" })
    .setKeyManagementParameters({ p2c: ITERATIONS })
    .encrypt(new TextEncoder().encode(passphrase));
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${key.kid.slice(0, 12)}.jwe`;
  await writeFile(join(dir, name), `${jwe}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
