// fast-check generators of policy documents, for the property tests. Not part of the package's
// public surface; only tests import this file.
import type { Weekday } from "@pulse/core";
import { WEEKDAYS } from "@pulse/core";
import fc from "fast-check";
import type {
  Clause,
  Declaration,
  GrantDecl,
  GroupRef,
  PolicyDocument,
  Span,
  Text,
} from "../model.js";
import { CLAUSE_ORDER } from "./printer.js";

const SPAN: Span = { file: "gen.pulse", line: 1, column: 1, offset: 0, end: 0 };

const tricky = fc.constantFrom(
  '"',
  "\\",
  "\n",
  "\t",
  '"""',
  "#",
  " ",
  "é",
  "\u0001",
  "\r",
  "@",
  "[",
);
const anyString = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), tricky), { maxLength: 6 })
  .map((parts) => parts.join(""));
const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,12}$/);
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const comment = fc
  .string({ unit: "grapheme", maxLength: 20 })
  .map((s) => s.replace(/[\n\r]/g, "").trimEnd());
const comments = fc.option(fc.array(comment, { minLength: 1, maxLength: 2 }), { nil: undefined });
const trailing = fc.option(comment, { nil: undefined });

function text(value: fc.Arbitrary<string>, commented = false): fc.Arbitrary<Text> {
  if (!commented) return value.map((v) => ({ value: v, span: SPAN }));
  return fc.record({ value, comments, trailing }).map((t) => clean({ ...t, span: SPAN }));
}

function groupRef(commented = false): fc.Arbitrary<GroupRef> {
  return fc
    .record({
      name,
      comments: commented ? comments : fc.constant(undefined),
      trailing: commented ? trailing : fc.constant(undefined),
    })
    .map((r) => clean({ kind: "group-ref" as const, ...r, span: SPAN }));
}

// Drops members set to `undefined`: the parser leaves absent comments out rather than undefined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function clean(node: object): any {
  const out: Record<string, unknown> = { ...node };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

const clock = fc.stringMatching(/^[0-9]{2}:[0-9]{2}$/);
const days = fc.subarray([...WEEKDAYS], { minLength: 1 }).map((d) => d as Weekday[]);
const flagValue = fc.oneof(fc.boolean(), anyString);
const instant = fc
  .integer({ min: 0, max: 253_402_300_799 })
  .map((s) => new Date(s * 1000).toISOString());

const clauseBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    kind: fc.constant("principal"),
    principalClass: text(word),
    id: fc.oneof(text(anyString), groupRef()),
  }),
  fc.record({
    kind: fc.constant("resources"),
    items: fc.array(text(anyString, true), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant("actions"), items: fc.array(text(word, true), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant("justification"), ref: text(anyString), text: text(anyString) }),
  fc.record({ kind: fc.constant("expires"), at: instant }),
  fc.record({ kind: fc.constant("max-lifetime"), seconds: fc.integer({ min: 0, max: 1e9 }) }),
  fc.record({
    kind: fc.constant("network"),
    items: fc.array(fc.oneof(text(anyString, true), groupRef(true)), { maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant("window"),
    days,
    start: text(clock),
    end: text(clock),
    tz: text(anyString),
  }),
  fc.record({ kind: fc.constant("flag"), name: text(anyString), value: flagValue }),
  fc.record({ kind: fc.constant("artifact"), digest: text(anyString) }),
  fc.record({
    kind: fc.constant("step-up-on"),
    items: fc.array(text(word, true), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant("step-up-when"), name: text(anyString), value: flagValue }),
);

const clause = fc
  .record({ body: clauseBody, comments, trailing })
  .map(({ body, ...c }) => clean({ ...body, ...c, span: SPAN }) as unknown as Clause);

const grant: fc.Arbitrary<GrantDecl> = fc
  .record({
    id: text(name),
    clauses: fc.array(clause, { maxLength: 8 }),
    endComments: fc.array(comment, { maxLength: 2 }),
    comments: fc.array(comment, { maxLength: 2 }),
    trailing,
  })
  .map((g) => clean({ kind: "grant" as const, ...g, span: SPAN }));

const declaration: fc.Arbitrary<Declaration> = fc.oneof(
  fc
    .record({ path: text(anyString), comments: fc.array(comment, { maxLength: 2 }), trailing })
    .map((d) => clean({ kind: "include" as const, ...d, span: SPAN })),
  fc
    .record({
      groupKind: fc.constantFrom("principals" as const, "networks" as const),
      name: text(name),
      members: fc.array(text(anyString, true), { maxLength: 4 }),
      comments: fc.array(comment, { maxLength: 2 }),
      trailing,
    })
    .map((d) => clean({ kind: "group" as const, ...d, span: SPAN })),
  grant,
);

/** Documents as the parser could return them (syntax only; most would not validate). */
export const documentArbitrary: fc.Arbitrary<PolicyDocument> = fc
  .record({
    declarations: fc.array(declaration, { maxLength: 4 }),
    headComments: fc.array(comment, { maxLength: 2 }),
    endComments: fc.array(comment, { maxLength: 2 }),
  })
  .map((d) => ({
    file: "gen.pulse",
    ...d,
    // Head comments belong to a file with declarations; in an empty file they are end comments.
    headComments: d.declarations.length === 0 ? [] : d.headComments,
  }));
