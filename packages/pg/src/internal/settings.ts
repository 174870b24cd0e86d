import { parseResource, pgResource } from "@pulse/core";
import { PulsePgError } from "../errors.js";
import type { PgGuardOptions } from "../options.js";
import type { AnalyzeSettings } from "./analyze.js";

/** Validated guard settings. */
export interface GuardSettings extends AnalyzeSettings {
  readonly cacheSize: number;
  readonly setClaims: boolean;
  /** `SET search_path …; SET standard_conforming_strings …` run on every connection handed out. */
  readonly pinSql: string;
}

// Parsing is synchronous: a huge text holds the event loop for as long as it takes to parse.
const DEFAULT_MAX_QUERY_LENGTH = 256 * 1024;

function fail(message: string): never {
  throw new PulsePgError("ERR_PULSE_PG_INVALID_OPTIONS", message);
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) fail(`${name} must be an integer >= 0`);
  return value;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Checks the options once, when the guard is built. */
export function guardSettings(options: Omit<PgGuardOptions, "verifier">): GuardSettings {
  if (typeof options?.database !== "string") fail("database is required");
  try {
    parseResource(pgResource(options.database, "public", "t"));
  } catch (error) {
    fail(`database ${JSON.stringify(options.database)} cannot name a pg:// resource`);
  }

  const searchPath = options.searchPath ?? ["public"];
  if (!Array.isArray(searchPath) || searchPath.length === 0) fail("searchPath must list schemas");
  for (const schema of searchPath) {
    if (typeof schema !== "string" || schema === "" || schema.includes("\0")) {
      fail("searchPath entries must be schema names");
    }
    if (schema === "pg_catalog" || /^pg_temp/.test(schema)) {
      fail(`searchPath must not name ${schema}: the guard places pg_catalog and pg_temp itself`);
    }
  }

  const path = ["pg_catalog", ...searchPath.map(quoteIdentifier), "pg_temp"].join(", ");
  return {
    database: options.database,
    searchPath,
    allowMultipleStatements: options.allowMultipleStatements === true,
    maxQueryLength: count("maxQueryLength", options.maxQueryLength, DEFAULT_MAX_QUERY_LENGTH),
    cacheSize: count("cacheSize", options.cacheSize, 1000),
    setClaims: options.setClaims === true,
    // standard_conforming_strings decides how the server reads backslashes in string literals;
    // the parser reads them as PostgreSQL's default does, so the session is pinned to match.
    pinSql: `SET search_path TO ${path}; SET standard_conforming_strings TO on`,
  };
}
