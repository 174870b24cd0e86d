import { PulseResourceError } from "./errors.js";
import { hasControlCharacter, hasDotSegment } from "./internal/dot-segments.js";
import { quotePgIdentifier, splitPgPath } from "./internal/pg-names.js";

/** Resource schemes PULSE understands. */
export type ResourceScheme = "s3" | "pg" | "vault";

/** What a `pg://` resource names: a relation (table, view, sequence) or a function. */
export type PgObjectKind = "relation" | "function";

/**
 * A parsed resource URI or pattern.
 *
 * - `s3://bucket/key` — `path` is the raw object key.
 * - `vault://mount/path` — `path` is the secret path below the mount.
 * - `pg://database/schema.name` — `path` is the canonical `schema.name`, with `()` after a
 *   function name.
 *
 * A pattern ends in `*`: `s3://bucket/prefix/*`, `vault://secret/app/*`, `pg://db/schema.*`.
 */
export interface ResourceName {
  readonly scheme: ResourceScheme;
  /** Bucket, database or mount. */
  readonly instance: string;
  /** Canonical path below the instance, without the wildcard. */
  readonly path: string;
  /** True when the pattern ends in `*`. */
  readonly wildcard: boolean;
  /** For `pg://` only. */
  readonly pgKind?: PgObjectKind;
}

/** How a request names its resource: one object, or every key under a listing prefix. */
export type ResourceMatch = "exact" | "prefix";

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DATABASE = /^[A-Za-z0-9_$-]{1,63}$/;
const MOUNT = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_URI_LENGTH = 2048;

function fail(uri: string, why: string): never {
  const shown = uri.length > 120 ? `${uri.slice(0, 120)}…` : uri;
  throw new PulseResourceError(`invalid resource ${JSON.stringify(shown)}: ${why}`);
}

function checkInstance(uri: string, scheme: ResourceScheme, instance: string): void {
  if (instance === "" || instance === "*") fail(uri, "a resource names an instance");

  if (scheme === "s3" && (!BUCKET.test(instance) || instance.includes(".."))) {
    fail(uri, "not a valid bucket name");
  }

  if (scheme === "pg" && !DATABASE.test(instance)) fail(uri, "not a valid database name");

  if (scheme === "vault" && (!MOUNT.test(instance) || instance === "." || instance === "..")) {
    fail(uri, "not a valid mount name");
  }
}

function checkSlashPath(uri: string, scheme: ResourceScheme, path: string, prefix: boolean) {
  if (hasControlCharacter(path)) fail(uri, "control character in path");

  if (hasDotSegment(path)) fail(uri, "'.' and '..' segments are not allowed");

  if (path.startsWith("/")) fail(uri, "path starts with '/'");

  if (path.includes("//")) fail(uri, "empty path segment");

  if (!prefix && path === "") fail(uri, "empty path");

  if (!prefix && scheme === "vault" && path.endsWith("/")) fail(uri, "empty path segment");
}

function parsePgName(uri: string, instance: string, path: string, pattern: boolean) {
  const isFunction = path.endsWith("()");
  let parts: Array<string | null>;
  try {
    parts = splitPgPath(isFunction ? path.slice(0, -2) : path);
  } catch (error) {
    return fail(uri, (error as Error).message);
  }

  if (parts.length !== 2) fail(uri, "expected schema.name");

  const [schema, name] = parts;
  if (schema === null || schema === undefined) fail(uri, "the schema must be named");

  if (name === null && !pattern) fail(uri, "'*' is only allowed in a pattern");

  const wildcard = name === null;
  const base = `${quotePgIdentifier(schema)}.${wildcard ? "" : quotePgIdentifier(name!)}`;
  const pgKind: PgObjectKind = isFunction ? "function" : "relation";
  const canonical = isFunction && !wildcard ? `${base}()` : base;
  return { scheme: "pg" as const, instance, path: canonical, wildcard, pgKind };
}

/**
 * Parses a resource URI (what a request touches) or, with `pattern: true`, a resource pattern
 * (what a capability grants).
 *
 * Names are never normalised into something else: a key with `.`/`..` segments (raw or
 * percent-encoded), an empty segment, or a control character is refused, and there is no
 * Unicode folding. Postgres identifiers are the exception: bare names fold to lower case
 * exactly as PostgreSQL folds them.
 *
 * @param uri - The URI, e.g. `s3://acme-reports/team-a/q1.csv`.
 * @param options - `pattern`: accept a final `*`; `match: "prefix"`: the path is a listing prefix
 *   (may be empty or end in `/`).
 * @returns The parsed name.
 * @throws {@link PulseResourceError} (`ERR_PULSE_INVALID_RESOURCE`) when the URI is not valid.
 *
 * @example
 * ```ts
 * parseResource("pg://appdb/Public.Orders").path; // "public.orders"
 * parseResource("s3://acme/team-a/*", { pattern: true }).wildcard; // true
 * ```
 */
export function parseResource(
  uri: string,
  options: { pattern?: boolean; match?: ResourceMatch } = {},
): ResourceName {
  const pattern = options.pattern === true;
  const prefix = options.match === "prefix";

  if (typeof uri !== "string" || uri.length > MAX_URI_LENGTH) fail(String(uri), "too long");

  const schemeEnd = uri.indexOf("://");
  const scheme = uri.slice(0, schemeEnd);
  if (scheme !== "s3" && scheme !== "pg" && scheme !== "vault") fail(uri, "unknown scheme");

  const rest = uri.slice(schemeEnd + 3);
  const slash = rest.indexOf("/");
  if (slash < 0) fail(uri, "a resource names a path inside its instance");

  const instance = rest.slice(0, slash);
  checkInstance(uri, scheme, instance);

  if (scheme === "pg") {
    if (prefix) fail(uri, "pg resources have no listing prefix");
    return parsePgName(uri, instance, rest.slice(slash + 1), pattern);
  }

  let path = rest.slice(slash + 1);
  const wildcard = pattern && (path === "*" || path.endsWith("/*"));
  if (wildcard) path = path.slice(0, -1);
  else if (pattern && path.includes("*")) fail(uri, "'*' may only end a pattern, after a '/'");

  checkSlashPath(uri, scheme, path, prefix || wildcard);
  return { scheme, instance, path, wildcard };
}

/**
 * Builds a `pg://` resource URI for a relation or function, quoting identifiers as needed.
 *
 * @example
 * ```ts
 * pgResource("appdb", "public", "Orders"); // 'pg://appdb/public."Orders"'
 * ```
 */
export function pgResource(
  database: string,
  schema: string,
  name: string,
  kind: PgObjectKind = "relation",
): string {
  const path = `${quotePgIdentifier(schema)}.${quotePgIdentifier(name)}`;
  return `pg://${database}/${kind === "function" ? `${path}()` : path}`;
}

/**
 * True when `pattern` covers `resource`. Matching is segment-aware: `team-a/*` covers
 * `team-a/x` and `team-a/x/y`, never `team-a-old/x` nor the node `team-a` itself, and a pattern
 * for bucket `acme-reports` never covers bucket `acme-reports-archive`.
 *
 * When `resource` is itself a pattern (a wildcard), it is covered only by a wildcard pattern
 * whose prefix is a prefix of its own: `team-a/*` covers `team-a/reports/*`, not the reverse.
 *
 * With `match: "prefix"` the resource is a listing prefix: it is covered only by a wildcard
 * pattern whose prefix it extends, because a listing returns every key that starts with it.
 *
 * @example
 * ```ts
 * const p = parseResource("s3://acme/team-a/*", { pattern: true });
 * resourceCovers(p, parseResource("s3://acme/team-a/q1.csv")); // true
 * resourceCovers(p, parseResource("s3://acme/team-a-old/q1.csv")); // false
 * ```
 */
export function resourceCovers(
  pattern: ResourceName,
  resource: ResourceName,
  match: ResourceMatch = "exact",
): boolean {
  if (pattern.scheme !== resource.scheme || pattern.instance !== resource.instance) return false;

  if (resource.wildcard) return patternCoversPattern(pattern, resource);

  if (pattern.scheme === "pg") {
    if (pattern.pgKind !== resource.pgKind || match === "prefix") return false;
    if (!pattern.wildcard) return pattern.path === resource.path;
    return resource.path.startsWith(pattern.path) && isOneIdentifier(resource, pattern.path);
  }

  if (!pattern.wildcard) return match === "exact" && pattern.path === resource.path;

  if (match === "prefix") return resource.path.startsWith(pattern.path);

  return resource.path.length > pattern.path.length && resource.path.startsWith(pattern.path);
}

// `schema.*` covers `schema.t`, and a quoted name that contains a dot stays one identifier.
function isOneIdentifier(resource: ResourceName, schemaPrefix: string): boolean {
  const rest = resource.path.slice(schemaPrefix.length).replace(/\(\)$/, "");
  return rest !== "" && splitPgPath(rest).length === 1;
}

function patternCoversPattern(outer: ResourceName, inner: ResourceName): boolean {
  if (!outer.wildcard || outer.pgKind !== inner.pgKind) return false;
  if (outer.scheme === "pg") return outer.path === inner.path;
  return inner.path.startsWith(outer.path);
}
