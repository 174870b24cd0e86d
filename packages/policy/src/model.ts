import type {
  Action,
  ContextConstraintName,
  ContextConstraints,
  Justification,
  PrincipalClass,
  Weekday,
} from "@pulse/core";
import type { Diagnostic } from "./errors.js";

/** Where a node starts (1-based line and column) and its character offsets in its file. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly end: number;
}

/**
 * Comments (without `#`) kept with the node they belong to, so the formatter can keep them:
 * `comments` are the lines before the node, `trailing` the comment ending the node's last line.
 */
export interface Comments {
  readonly comments?: readonly string[];
  readonly trailing?: string;
}

/** A string, name or word as written, with where it was written. In a list, its comments. */
export interface Text extends Comments {
  readonly value: string;
  readonly span: Span;
}

/** `@name`: a reference to a declared group. */
export interface GroupRef extends Comments {
  readonly kind: "group-ref";
  readonly name: string;
  readonly span: Span;
}

interface Commented extends Comments {
  readonly span: Span;
}

/** `include "shared/networks.pulse"`. */
export interface IncludeDecl extends Commented {
  readonly kind: "include";
  readonly path: Text;
}

/** `group principals @data-eng = [...]` or `group networks @office = [...]`. */
export interface GroupDecl extends Commented {
  readonly kind: "group";
  readonly groupKind: "principals" | "networks";
  readonly name: Text;
  readonly members: readonly Text[];
}

/** A flag value: a string or a boolean. */
export type FlagValue = string | boolean;

/** One clause inside a grant block, as written. */
export type Clause = Commented &
  (
    | { readonly kind: "principal"; readonly principalClass: Text; readonly id: Text | GroupRef }
    | { readonly kind: "resources"; readonly items: readonly Text[] }
    | { readonly kind: "actions"; readonly items: readonly Text[] }
    | { readonly kind: "justification"; readonly ref: Text; readonly text: Text }
    | { readonly kind: "expires"; readonly at: string }
    | { readonly kind: "max-lifetime"; readonly seconds: number }
    | { readonly kind: "network"; readonly items: ReadonlyArray<Text | GroupRef> }
    | {
        readonly kind: "window";
        readonly days: readonly Weekday[];
        readonly start: Text;
        readonly end: Text;
        readonly tz: Text;
      }
    | { readonly kind: "flag"; readonly name: Text; readonly value: FlagValue }
    | { readonly kind: "artifact"; readonly digest: Text }
    | { readonly kind: "step-up-on"; readonly items: readonly Text[] }
    | { readonly kind: "step-up-when"; readonly name: Text; readonly value: FlagValue }
  );

/** `grant id { clauses }`. */
export interface GrantDecl extends Commented {
  readonly kind: "grant";
  readonly id: Text;
  readonly clauses: readonly Clause[];
  /** Comments after the last clause, before `}`. */
  readonly endComments: readonly string[];
}

/** A top-level declaration. */
export type Declaration = IncludeDecl | GroupDecl | GrantDecl;

/**
 * One parsed policy file, as written (comments kept, nothing resolved).
 *
 * @example
 * ```ts
 * const doc = parsePolicy(text, { file: "team-a.pulse" });
 * const ids = doc.declarations.flatMap((d) => (d.kind === "grant" ? [d.id.value] : []));
 * ```
 */
export interface PolicyDocument {
  readonly file: string;
  /** Comments at the top of the file, set apart from the first declaration by a blank line. */
  readonly headComments: readonly string[];
  readonly declarations: readonly Declaration[];
  /** Comments after the last declaration. */
  readonly endComments: readonly string[];
}

/**
 * A grant after validation: groups resolved, times and lifetimes in numbers. This is what the
 * evaluator works on and what the policy version hashes.
 *
 * @example
 * ```ts
 * const soon = policy.grants.filter((g) => g.expiresAt.getTime() < Date.now() + 7 * 86_400_000);
 * ```
 */
export interface Grant {
  readonly id: string;
  readonly principal: {
    readonly class: PrincipalClass;
    /** Principal ids the grant applies to: one, or a group's members. */
    readonly ids: readonly string[];
    /** The group name, when the grant names a group. */
    readonly group?: string;
  };
  /** Resource patterns, as written (each parses with `parseResource(…, { pattern: true })`). */
  readonly resources: readonly string[];
  readonly actions: readonly Action[];
  readonly justification: Justification;
  /** The grant gives nothing at or after this instant. */
  readonly expiresAt: Date;
  /** The longest lifetime of a token issued under the grant. */
  readonly maxLifetimeSeconds: number;
  /** Context constraints, with network groups expanded into CIDR ranges. No `stepUp` here. */
  readonly context: ContextConstraints;
  readonly stepUp: {
    /** Constraints whose mismatch routes to step-up rather than deny. */
    readonly on: readonly ContextConstraintName[];
    /** Flag values in the request context that route to step-up even when all else holds. */
    readonly when: Readonly<Record<string, FlagValue>>;
  };
  /** Where the grant is written. */
  readonly source: { readonly file: string; readonly line: number; readonly column: number };
}

/**
 * A loaded, validated policy set, as {@link loadPolicy} and {@link compilePolicy} return it.
 *
 * @example
 * ```ts
 * const policy = await loadPolicy("./policies");
 * policy.version; // "sha256:…", written into every token as grt.ver
 * ```
 */
export interface PolicySet {
  /** `sha256:<hex>` over the normalised grants; goes into every token's `grt.ver`. */
  readonly version: string;
  /** Grants sorted by id. */
  readonly grants: readonly Grant[];
  /** Lint findings; a policy with warnings still loads. */
  readonly warnings: readonly Diagnostic[];
}
