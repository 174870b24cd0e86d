import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { PulseVaultError } from "../../errors.js";
import type { StoreKey } from "./key.js";

// Layout: magic (4) | key id (8) | nonce (12) | tag (16) | ciphertext.
const MAGIC = Buffer.from("PVS1", "latin1");
const ID_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + ID_BYTES;
const OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

/**
 * What a blob is bound to. It goes into the associated data, so a blob moved to another path,
 * another version number, or from a version file to a metadata file fails to open.
 */
export interface BlobBinding {
  readonly kind: "version" | "meta";
  readonly path: string;
  readonly version?: number;
}

function associatedData(header: Buffer, binding: BlobBinding): Buffer {
  const context = ["pulse-vault-file/v1", binding.kind, binding.path, binding.version ?? ""];
  return Buffer.concat([header, Buffer.from(context.join("\0"), "utf8")]);
}

/** Encrypts `plaintext` with AES-256-GCM under a fresh random nonce. */
export function seal(key: StoreKey, binding: BlobBinding, plaintext: Uint8Array): Buffer {
  const header = Buffer.concat([MAGIC, key.id]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(header, binding));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, nonce, cipher.getAuthTag(), body]);
}

function tampered(binding: BlobBinding, why: string, cause?: unknown): never {
  const what = binding.kind === "meta" ? "metadata" : `version ${binding.version}`;
  const message = `secret ${JSON.stringify(binding.path)} ${what}: ${why}`;
  throw new PulseVaultError("ERR_PULSE_VAULT_TAMPERED", message, { cause });
}

/**
 * Decrypts a blob. A blob sealed under another key is `ERR_PULSE_VAULT_WRONG_KEY`; anything
 * that fails authentication (edited, truncated, swapped) is `ERR_PULSE_VAULT_TAMPERED`.
 */
export function open(key: StoreKey, binding: BlobBinding, blob: Buffer): Buffer {
  if (blob.length < OVERHEAD || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    tampered(binding, "not a PULSE secret file");
  }

  const header = blob.subarray(0, HEADER_BYTES);
  if (!header.subarray(MAGIC.length).equals(key.id)) {
    const message = `secret ${JSON.stringify(binding.path)}: sealed under another key`;
    throw new PulseVaultError("ERR_PULSE_VAULT_WRONG_KEY", message);
  }

  const nonce = blob.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const tag = blob.subarray(HEADER_BYTES + NONCE_BYTES, OVERHEAD);
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, nonce, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associatedData(header, binding));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(OVERHEAD)), decipher.final()]);
  } catch (error) {
    return tampered(binding, "authentication failed (edited, truncated or moved)", error);
  }
}
