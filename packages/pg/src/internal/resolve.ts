import type { AccessRequest, Action } from "@pulse/core";
import { pgResource } from "@pulse/core";
import { ALLOWED_FUNCTIONS, functionServerVersion, isAdminFunction } from "./functions.js";
import { unsupported } from "./refusal.js";
import type { FunctionUse, RelationUse } from "./tree-walker.js";

/** What name resolution needs to know about the guarded connection. */
export interface ResolveSettings {
  /** Database name used in `pg://` resources. */
  readonly database: string;
  /** Schemas of the pinned search_path, after pg_catalog. */
  readonly searchPath: readonly string[];
}

/**
 * The schemas an unqualified relation could resolve to under the pinned search_path
 * (`pg_catalog, …searchPath, pg_temp`). Every relation in pg_catalog is named `pg_…`; for those
 * names the guard cannot tell a catalog from a user relation, so it asks for every candidate.
 */
function relationSchemas(use: RelationUse, settings: ResolveSettings): readonly string[] {
  if (use.schema !== undefined) return [use.schema];
  if (use.name.startsWith("pg_")) return ["pg_catalog", ...settings.searchPath];
  return settings.searchPath;
}

// System schemas: writing a relation there is never data access. `UPDATE pg_settings` is
// `set_config` through a catalog rule, and other catalogs define the server's objects.
const SYSTEM_SCHEMAS = new Set(["pg_catalog", "information_schema", "pg_toast"]);

function refuseSystemWrite(use: RelationUse, schema: string): void {
  if (!SYSTEM_SCHEMAS.has(schema)) return;
  for (const action of use.actions) {
    if (action === "read") continue;
    throw unsupported(
      `${action} on ${schema}.${use.name}: system catalogs are read-only through the guard`,
    );
  }
}

/**
 * The schemas an unqualified call could resolve to. No name is safe to pin to `pg_catalog`: a
 * name the catalog lacks (on this server, or with these argument types) resolves through the
 * search path, `pg_…` names included.
 */
function functionSchemas(use: FunctionUse, settings: ResolveSettings): readonly string[] {
  if (use.schema !== undefined) return [use.schema];
  return ["pg_catalog", ...settings.searchPath];
}

function functionAction(use: FunctionUse, schema: string): Action {
  return schema === "pg_catalog" && isAdminFunction(use.name) ? "admin" : "write";
}

function isAllowedBuiltin(use: FunctionUse): boolean {
  const builtin = use.schema === undefined || use.schema === "pg_catalog";
  return builtin && ALLOWED_FUNCTIONS.has(use.name);
}

/**
 * The highest `server_version_num` the allow-listed built-ins among `functions` need (0 when every
 * supported server has them): on an older server the name would resolve to a user function.
 */
export function builtinsServerVersion(functions: readonly FunctionUse[]): number {
  let versionNum = 0;
  for (const use of functions) {
    if (!isAllowedBuiltin(use)) continue;
    versionNum = Math.max(versionNum, functionServerVersion(use.name, use.argumentCount));
  }
  return versionNum;
}

/** Turns relation and function uses into access requests, without duplicates. */
export function toRequests(
  relations: readonly RelationUse[],
  functions: readonly FunctionUse[],
  settings: ResolveSettings,
): AccessRequest[] {
  const requests = new Map<string, AccessRequest>();
  const add = (resource: string, action: Action) => {
    requests.set(`${action} ${resource}`, { resource, action });
  };

  for (const use of relations) {
    for (const schema of relationSchemas(use, settings)) {
      refuseSystemWrite(use, schema);
      const resource = pgResource(settings.database, schema, use.name);
      for (const action of use.actions) add(resource, action);
    }
  }

  for (const use of functions) {
    if (isAllowedBuiltin(use)) continue;

    for (const schema of functionSchemas(use, settings)) {
      add(pgResource(settings.database, schema, use.name, "function"), functionAction(use, schema));
    }
  }
  return [...requests.values()];
}
