import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseResource, pgResource, resourceCovers } from "./resource.js";

const pattern = (uri: string) => parseResource(uri, { pattern: true });
const covers = (p: string, r: string) => resourceCovers(pattern(p), parseResource(r));
const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

const segment = fc
  .stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,11}$/)
  .filter((s) => s !== "." && s !== "..");
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));

describe("resource matching (properties)", () => {
  it("a prefix grant covers exactly the keys below its '/' boundary", () => {
    fc.assert(
      fc.property(bucket, path, fc.string({ maxLength: 30 }), (b, prefix, rest) => {
        const key = `${prefix}${rest}`;
        let resource;
        try {
          resource = parseResource(`s3://${b}/${key}`);
        } catch {
          return true;
        }
        const expected = key.startsWith(`${prefix}/`) && key.length > prefix.length + 1;
        return resourceCovers(pattern(`s3://${b}/${prefix}/*`), resource) === expected;
      }),
    );
  });

  it("prefix confusion: team-a/* never covers team-a<suffix>/…", () => {
    fc.assert(
      fc.property(bucket, segment, segment, path, (b, base, suffix, rest) => {
        return !covers(`s3://${b}/${base}/*`, `s3://${b}/${base}${suffix}/${rest}`);
      }),
    );
  });

  it("bucket confusion: a grant on a bucket never covers a longer bucket name", () => {
    fc.assert(
      fc.property(bucket, fc.stringMatching(/^[a-z0-9-]{1,8}[a-z0-9]$/), path, (b, tail, key) => {
        return !covers(`s3://${b}/*`, `s3://${b}${tail}/${key}`);
      }),
    );
  });

  it("a dot segment anywhere, raw or percent-encoded once or twice, is refused", () => {
    const dots = fc.constantFrom(".", "..", "%2e", "%2E%2e", "%252e%252e", ".%2e", "..%2fx");
    fc.assert(
      fc.property(
        bucket,
        fc.array(segment, { maxLength: 3 }),
        dots,
        path,
        (b, before, dot, after) => {
          const key = [...before, dot, after].join("/");
          return code(() => parseResource(`s3://${b}/${key}`)) === "ERR_PULSE_INVALID_RESOURCE";
        },
      ),
    );
  });

  it("vault paths: the node itself and sibling prefixes are never covered", () => {
    fc.assert(
      fc.property(path, segment, (node, child) => {
        const grant = `vault://secret/${node}/*`;
        return (
          covers(grant, `vault://secret/${node}/${child}`) &&
          !covers(grant, `vault://secret/${node}`) &&
          !covers(grant, `vault://secret/${node}-admin/${child}`)
        );
      }),
    );
  });

  it("pg names round-trip through pgResource and parseResource", () => {
    const ident = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\u0000]/.test(s));
    fc.assert(
      fc.property(ident, ident, (schema, table) => {
        const uri = pgResource("appdb", schema, table);
        const parsed = parseResource(uri);
        return parseResource(`pg://appdb/${parsed.path}`).path === parsed.path;
      }),
    );
  });
});

describe("resource parsing (examples)", () => {
  it.each([
    ["s3://acme-reports/team-a/*", "s3://acme-reports/team-a/x", true],
    ["s3://acme-reports/team-a/*", "s3://acme-reports/team-a/x/y/z", true],
    ["s3://acme-reports/team-a/*", "s3://acme-reports/team-a-old/x", false],
    ["s3://acme-reports/team-a/*", "s3://acme-reports-archive/team-a/x", false],
    ["s3://acme-reports/team-a/x", "s3://acme-reports/team-a/x", true],
    ["s3://acme-reports/team-a/x", "s3://acme-reports/team-a/X", false],
    ["s3://acme-reports/*", "s3://acme-reports/anything", true],
    ["pg://appdb/public.orders", "pg://appdb/Public.ORDERS", true],
    ["pg://appdb/public.orders", 'pg://appdb/public."Orders"', false],
    ["pg://appdb/public.*", "pg://appdb/public.orders", true],
    ["pg://appdb/public.*", "pg://appdb/hr.salaries", false],
    ["pg://appdb/public.*", "pg://appdb/public.nextval()", false],
    ['pg://appdb/"a.b".*', 'pg://appdb/"a.b".t', true],
    ["pg://appdb/a.*", 'pg://appdb/"a.b".t', false],
    ["pg://appdb/public.*", 'pg://appdb/public."x.y"', true],
    ["pg://appdb/pg_catalog.*()", "pg://appdb/pg_catalog.nextval()", true],
    ["vault://secret/app/billing/*", "vault://secret/app/billing/db", true],
    ["vault://secret/app/billing/*", "vault://secret/app/billing-admin/root", false],
    ["vault://secret/app/billing/*", "vault://secret/app/billing", false],
    ["vault://secret/app/billing/*", "vault://kv/app/billing/db", false],
    ["s3://acme/café/*", "s3://acme/cafe\u0301/x", false],
  ])("%s covers %s: %s", (p, r, expected) => {
    expect(covers(p, r)).toBe(expected);
  });

  it.each([
    ["s3://*", true],
    ["s3://acme", true],
    ["s3://Acme/x", false],
    ["s3://acme/a/*/b", true],
    ["s3://acme/a*", true],
    ["pg://appdb/*.*", true],
    ["pg://appdb/orders", false],
    ["pg://appdb/public.orders.x", false],
    ["vault://secret/a//b", false],
    ["vault://secret/a/", false],
    ["http://acme/x", false],
    ["s3://acme/a\u0000b", false],
    ["s3://acme//x", false],
    ["s3://acme/", false],
  ])("invalid %s (as pattern: %s)", (uri, asPattern) => {
    const parse = () => parseResource(uri, asPattern ? { pattern: true } : {});
    expect(code(parse)).toBe("ERR_PULSE_INVALID_RESOURCE");
  });

  it("listing-trailing-empty-segment is refused", () => {
    const prefix = (uri: string) => () => parseResource(uri, { match: "prefix" });
    expect(code(prefix("vault://secret/app//"))).toBe("ERR_PULSE_INVALID_RESOURCE");
    expect(code(prefix("s3://acme/team-a//"))).toBe("ERR_PULSE_INVALID_RESOURCE");
    expect(code(prefix("s3://acme/team-a/"))).toBeUndefined();
    expect(code(prefix("s3://acme/"))).toBeUndefined();
  });

  it("a folder marker key with a trailing slash is a valid S3 key", () => {
    expect(parseResource("s3://acme/team-a/folder/").path).toBe("team-a/folder/");
  });

  it("pgResource quotes what PostgreSQL would quote", () => {
    expect(pgResource("appdb", "public", "Orders")).toBe('pg://appdb/public."Orders"');
    expect(pgResource("appdb", "my.schema", 'we"ird')).toBe('pg://appdb/"my.schema"."we""ird"');
    expect(pgResource("appdb", "pg_catalog", "now", "function")).toBe(
      "pg://appdb/pg_catalog.now()",
    );
  });

  it("a wildcard grant covers a narrower wildcard, not a wider one", () => {
    expect(resourceCovers(pattern("s3://a1b/t/*"), pattern("s3://a1b/t/r/*"))).toBe(true);
    expect(resourceCovers(pattern("s3://a1b/t/r/*"), pattern("s3://a1b/t/*"))).toBe(false);
    expect(resourceCovers(pattern("s3://a1b/t/x"), pattern("s3://a1b/t/*"))).toBe(false);
  });
});
