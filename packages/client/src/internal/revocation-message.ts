import type { Revocation } from "@pulse/core";

/** A revocation with its cursor, as served by the broker and carried in push messages. */
export interface StoredRevocation {
  readonly cursor: string;
  readonly revocation: Revocation;
}

const CURSOR = /^(0|[1-9][0-9]{0,17})$/;

/** True when `value` is a cursor as the broker writes them: a decimal integer. */
export function isCursor(value: unknown): value is string {
  return typeof value === "string" && CURSOR.test(value);
}

/** True when `value` can be the epoch of a broker's revocation log: a short non-empty string. */
export function isEpoch(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 128;
}

function text(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 1024;
}

/** Reads one stored revocation from untrusted JSON; `undefined` when it is not one. */
export function parseStoredRevocation(value: unknown): StoredRevocation | undefined {
  const v = value as { cursor?: unknown; revocation?: Record<string, unknown> } | null;
  if (typeof v !== "object" || v === null || !isCursor(v.cursor)) return undefined;

  const r = v.revocation;
  if (typeof r !== "object" || r === null || !text(r.iss)) return undefined;

  if (text(r.jti)) return { cursor: v.cursor, revocation: { iss: r.iss, jti: r.jti } };

  const before = r.issuedBefore;
  if (typeof before !== "number" || !Number.isSafeInteger(before)) return undefined;

  if (text(r.sub))
    return { cursor: v.cursor, revocation: { iss: r.iss, sub: r.sub, issuedBefore: before } };

  if (text(r.grantId)) {
    return {
      cursor: v.cursor,
      revocation: { iss: r.iss, grantId: r.grantId, issuedBefore: before },
    };
  }
  return undefined;
}
