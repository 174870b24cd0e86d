import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PulseVaultError } from "../../errors.js";

/** AES-256 needs exactly this many key bytes. */
export const KEY_BYTES = 32;

/** Where the file store's key comes from; the first one given wins. */
export interface KeySourceOptions {
  readonly key?: Uint8Array;
  readonly keyFile?: string;
  readonly keyEnv?: string;
}

/** The loaded key, with a short id that tells a wrong key from a tampered file. */
export interface StoreKey {
  readonly bytes: Buffer;
  /** First 8 bytes of HMAC-SHA256(key, label): reveals nothing useful about the key. */
  readonly id: Buffer;
}

function invalid(message: string, cause?: unknown): never {
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_KEY", message, { cause });
}

// Text keys are base64 (44 characters with padding) or hex (64 characters); nothing else is
// guessed at, so a truncated or mistyped key fails here instead of encrypting with a weak one.
function decodeText(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");

  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    return Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  }
  return invalid(`${where}: expected ${KEY_BYTES} bytes as 64 hex or 44 base64 characters`);
}

function checked(bytes: Buffer, where: string): Buffer {
  if (bytes.length !== KEY_BYTES) {
    invalid(`${where}: key is ${bytes.length} bytes, AES-256-GCM needs ${KEY_BYTES}`);
  }
  return bytes;
}

async function fromFile(path: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    return invalid(`key file ${JSON.stringify(path)} cannot be read`, error);
  }
  if (raw.length === KEY_BYTES) return raw;
  return decodeText(raw.toString("utf8"), `key file ${JSON.stringify(path)}`);
}

/** Loads and validates the key: bytes, then key file, then environment variable. */
export async function loadKey(options: KeySourceOptions, env = process.env): Promise<StoreKey> {
  let bytes: Buffer;
  if (options.key !== undefined) {
    bytes = checked(Buffer.from(options.key), "options.key");
  } else if (options.keyFile !== undefined) {
    bytes = checked(await fromFile(options.keyFile), `key file ${JSON.stringify(options.keyFile)}`);
  } else {
    const name = options.keyEnv ?? "PULSE_VAULT_KEY";
    const text = env[name];
    if (text === undefined || text === "") invalid(`environment variable ${name} is not set`);
    bytes = checked(decodeText(text, `environment variable ${name}`), name);
  }

  const id = createHmac("sha256", bytes).update("pulse-vault file store key id v1").digest();
  return { bytes, id: id.subarray(0, 8) };
}
