import { PulseVaultError } from "../errors.js";
import type { JsonObject, SecretValue } from "../secret-store.js";

const MAX_DEPTH = 64;

function invalid(why: string): never {
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_VALUE", `secret value ${why}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkJson(value: unknown, depth: number, seen: Set<object>): void {
  if (depth > MAX_DEPTH) invalid(`nests deeper than ${MAX_DEPTH} levels`);

  if (value === null || typeof value === "string" || typeof value === "boolean") return;

  if (typeof value === "number") {
    if (!Number.isFinite(value)) invalid("holds a number JSON cannot represent");
    return;
  }

  if (typeof value !== "object") invalid(`holds a ${typeof value}, which is not JSON`);

  if (seen.has(value)) invalid("is circular");
  seen.add(value);

  if (Array.isArray(value)) {
    for (const item of value) checkJson(item, depth + 1, seen);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) checkJson(item, depth + 1, seen);
  } else {
    invalid("holds an object that is not plain JSON (a Date, a Map, a class instance)");
  }
  seen.delete(value);
}

/** Checks that a value is a string or a plain JSON object, deeply. */
export function secretValue(value: unknown): SecretValue {
  if (typeof value === "string") return value;

  if (!isPlainObject(value)) invalid("must be a string or a plain JSON object");
  checkJson(value, 0, new Set());
  return value as JsonObject;
}

/** Checks a JSON object value (for backends that store objects only). */
export function objectValue(value: unknown, backend: string): JsonObject {
  const checked = secretValue(value);
  if (typeof checked === "string") {
    invalid(`must be a JSON object for ${backend}; wrap a string, e.g. { value: "…" }`);
  }
  return checked;
}

/** Checks a list of version numbers (positive safe integers), as Vault and the file store use. */
export function versionNumbers(versions: unknown, required: boolean): number[] | undefined {
  if (versions === undefined && !required) return undefined;

  if (!Array.isArray(versions) || versions.length === 0) {
    throw new PulseVaultError(
      "ERR_PULSE_VAULT_INVALID_OPTIONS",
      "versions must be a non-empty list",
    );
  }
  return versions.map((version) => versionNumber(version));
}

/** Checks one version number. */
export function versionNumber(version: unknown): number {
  if (typeof version === "number" && Number.isSafeInteger(version) && version > 0) return version;
  const shown = JSON.stringify(version) ?? String(version);
  throw new PulseVaultError(
    "ERR_PULSE_VAULT_INVALID_OPTIONS",
    `version ${shown} is not a positive integer`,
  );
}

/** Checks a check-and-set value: a non-negative safe integer, or absent. */
export function casValue(cas: unknown): number | undefined {
  if (cas === undefined) return undefined;
  if (typeof cas === "number" && Number.isSafeInteger(cas) && cas >= 0) return cas;
  throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", "cas must be an integer >= 0");
}
