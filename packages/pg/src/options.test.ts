import { createVerifier, exportJwks, generateSigningKey, noRevocation } from "@pulse/core";
import type { Pool } from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSql } from "./analyze-sql.js";
import { guardPool } from "./guard.js";
import { StatementGate } from "./internal/gate.js";
import { LruCache } from "./internal/lru.js";
import type { PgGuardOptions } from "./options.js";

let verifier: PgGuardOptions["verifier"];
const pool = {} as Pool;

beforeAll(async () => {
  const key = await generateSigningKey();
  verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: "https://broker.test",
    audience: "pg:appdb",
    revocation: noRevocation(),
  });
});

describe("options", () => {
  const invalid: Array<[string, Partial<PgGuardOptions>]> = [
    ["no database", { database: undefined as never }],
    ["a database that cannot name a resource", { database: "app db" }],
    ["an empty searchPath", { searchPath: [] }],
    ["pg_catalog in searchPath", { searchPath: ["pg_catalog"] }],
    ["pg_temp in searchPath", { searchPath: ["public", "pg_temp"] }],
    ["a negative cacheSize", { cacheSize: -1 }],
    ["a fractional maxQueryLength", { maxQueryLength: 1.5 }],
  ];

  it.each(invalid)("invalid-options: %s is ERR_PULSE_PG_INVALID_OPTIONS", (_what, change) => {
    const options = { verifier, database: "appdb", ...change } as PgGuardOptions;
    expect(() => guardPool(pool, options)).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_PG_INVALID_OPTIONS" }),
    );
  });

  it("a missing verifier is ERR_PULSE_PG_INVALID_OPTIONS", () => {
    const options = { database: "appdb" } as PgGuardOptions;
    expect(() => guardPool(pool, options)).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_PG_INVALID_OPTIONS" }),
    );
  });

  it("pins pg_catalog first and pg_temp last, quoting schema names", () => {
    const gate = new StatementGate({ verifier, database: "appdb", searchPath: ["Sales", 'x"y'] });
    expect(gate.settings.pinSql).toBe(
      `SET search_path TO pg_catalog, "Sales", "x""y", pg_temp; ` +
        `SET standard_conforming_strings TO on`,
    );
  });
});

describe("analysis cache", () => {
  it("returns the cached analysis for a repeated text", async () => {
    const gate = new StatementGate({ verifier, database: "appdb" });
    const first = await gate.analysis("SELECT * FROM orders");
    expect(await gate.analysis("SELECT * FROM orders")).toBe(first);
  });

  it("cacheSize 0 analyses every time", async () => {
    const gate = new StatementGate({ verifier, database: "appdb", cacheSize: 0 });
    const first = await gate.analysis("SELECT * FROM orders");
    const second = await gate.analysis("SELECT * FROM orders");
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it("the LRU drops the least recently used entry", () => {
    const lru = new LruCache<number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c"), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe("multiple statements", () => {
  it("with allowMultipleStatements every statement is analysed, all requests kept", async () => {
    const result = await analyzeSql("SELECT 1 FROM orders; DELETE FROM hr.salaries", {
      database: "appdb",
      allowMultipleStatements: true,
    });
    expect(result).toMatchObject({
      ok: true,
      statements: [{ kind: "SelectStmt" }, { kind: "DeleteStmt", action: "delete" }],
    });
    if (result.ok) {
      expect(result.requests).toContainEqual({
        resource: "pg://appdb/hr.salaries",
        action: "delete",
      });
    }
  });

  it("one refused statement refuses the whole text", async () => {
    const result = await analyzeSql("SELECT 1 FROM orders; SET ROLE postgres", {
      database: "appdb",
      allowMultipleStatements: true,
    });
    expect(result).toMatchObject({ ok: false, reason: "unsupported-operation" });
  });
});
