import { parseResource, resourceCovers } from "@pulse/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listingRequest, secretResource } from "./guard-requests.js";
import { listingPrefix, oneLevel, secretPath } from "./path.js";

// Segments a secret path may hold: printable, no `/`, `%` or `*`, never `.` or `..`.
const segment = fc
  .string({ unit: fc.constantFrom(..."abAB09-_.é:@+= ~"), minLength: 1, maxLength: 8 })
  .filter((s) => s !== "." && s !== "..");
const segments = fc.array(segment, { minLength: 1, maxLength: 6 });

// Ways to write a dot segment that a server may decode into one.
const dotSegment = fc.constantFrom(".", "..", "%2e", "%2E%2e", ".%2e", "%252e%252e", "%2e%2E");
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  const at = index % (list.length + 1);
  return [...list.slice(0, at), item, ...list.slice(at)];
}

function startsWithSegments(whole: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((s, i) => whole[i] === s);
}

const pattern = (segs: readonly string[]) =>
  parseResource(`vault://secret/${segs.join("/")}/*`, { pattern: true });

describe("secret paths are canonical or refused", () => {
  it("accepts canonical paths unchanged (no folding, no normalisation)", () => {
    fc.assert(
      fc.property(segments, (segs) => {
        const path = segs.join("/");
        expect(secretPath(path)).toBe(path);
        expect(parseResource(`vault://secret/${path}`).path).toBe(path);
      }),
    );
  });

  it("refuses a dot segment, raw or percent-encoded, anywhere", () => {
    fc.assert(
      fc.property(segments, dotSegment, fc.nat(), (segs, dot, at) => {
        const path = insertAt(segs, at, dot).join("/");
        expect(() => secretPath(path)).toThrow(/'\.' and '\.\.' segments/);
        expect(() => listingPrefix(path)).toThrow();
      }),
    );
  });

  it("refuses an empty segment anywhere, in paths and listing prefixes", () => {
    fc.assert(
      fc.property(segments, fc.nat(), (segs, at) => {
        const path = insertAt(segs, at, "").join("/");
        expect(() => secretPath(path)).toThrow();
        expect(() => listingPrefix(`${path}/`)).toThrow();
        expect("malformed" in listingRequest("secret", `${path}/`)).toBe(true);
      }),
    );
  });

  it("refuses a control character anywhere", () => {
    fc.assert(
      fc.property(segments, control, fc.nat(), (segs, c, at) => {
        const path = segs.join("/");
        const i = at % (path.length + 1);
        expect(() => secretPath(path.slice(0, i) + c + path.slice(i))).toThrow();
      }),
    );
  });
});

describe("grants match by segment, case-sensitively", () => {
  it("a grant on G/* covers a secret exactly when the secret is strictly below G", () => {
    fc.assert(
      fc.property(segments, segments, (grant, secret) => {
        const resource = parseResource(secretResource("secret", secret.join("/")));
        const expected = secret.length > grant.length && startsWithSegments(secret, grant);
        expect(resourceCovers(pattern(grant), resource)).toBe(expected);
      }),
    );
  });

  it("a grant on G/* never covers a sibling that only shares a text prefix", () => {
    fc.assert(
      fc.property(segments, segment, segments, (grant, suffix, rest) => {
        const sibling = [...grant.slice(0, -1), `${grant.at(-1)}${suffix}`, ...rest];
        const resource = parseResource(secretResource("secret", sibling.join("/")));
        expect(resourceCovers(pattern(grant), resource)).toBe(false);
      }),
    );
  });

  it("a grant on G/* covers listing node N exactly when N is G or below it", () => {
    fc.assert(
      fc.property(segments, segments, (grant, node) => {
        const plan = listingRequest("secret", node.join("/"));
        if (!("requests" in plan)) throw new Error("canonical node refused");
        const request = plan.requests[0]!;
        const prefix = parseResource(request.resource, { match: "prefix" });
        const expected = node.length >= grant.length && startsWithSegments(node, grant);
        expect(resourceCovers(pattern(grant), prefix, "prefix")).toBe(expected);
      }),
    );
  });

  it("differs on case: an upper-cased grant never covers a lower-case path", () => {
    fc.assert(
      fc.property(segments, segment, (grant, leaf) => {
        fc.pre(grant.join("/") !== grant.join("/").toUpperCase());
        const upper = grant.map((s) => s.toUpperCase());
        const resource = parseResource(secretResource("secret", [...grant, leaf].join("/")));
        expect(resourceCovers(pattern(upper), resource)).toBe(false);
      }),
    );
  });
});

describe("one-level listing", () => {
  it("lists each child once, nodes with a slash, nothing outside the prefix", () => {
    fc.assert(
      fc.property(fc.array(segments, { maxLength: 20 }), segments, (all, node) => {
        const prefix = `${node.join("/")}/`;
        const names = oneLevel(
          prefix,
          all.map((s) => s.join("/")),
        );
        for (const name of names) {
          expect(name.slice(0, -1).includes("/")).toBe(false);
          const child = prefix + name;
          const below = all.some((s) => s.join("/").startsWith(child) || s.join("/") === child);
          expect(below).toBe(true);
        }
        expect(new Set(names).size).toBe(names.length);
      }),
    );
  });
});
