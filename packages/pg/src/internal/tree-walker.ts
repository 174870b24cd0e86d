import type { Action } from "@pulse/core";
import { NODE_SCHEMA } from "./node-schema.js";
import { Refusal, unsupported } from "./refusal.js";

/** A relation named somewhere in a statement, before it is resolved to `schema.name`. */
export interface RelationUse {
  readonly schema: string | undefined;
  readonly name: string;
  readonly actions: Set<Action>;
}

/** A function called somewhere in a statement. */
export interface FunctionUse {
  readonly schema: string | undefined;
  readonly name: string;
  /** How many arguments the call passes (named ones included). */
  readonly argumentCount: number;
}

type Body = Record<string, unknown>;
type Handler = (walker: TreeWalker, body: Body) => void;

const MAX_DEPTH = 600;

/**
 * Walks a raw Postgres parse tree exhaustively. Every node type and every field must be known
 * (see node-schema.ts); anything else is refused, so nothing that could hide a relation or a
 * function is ever skipped. Statement-specific handlers decide actions and CTE scoping.
 */
export class TreeWalker {
  readonly relations: RelationUse[] = [];
  readonly functions: FunctionUse[] = [];
  // Visible CTE names with how many WITH clauses in scope define each, and the order they were
  // shown in, so that leaving a WITH clause hides exactly its own names (linear in the CTEs).
  readonly #visibleCtes = new Map<string, number>();
  readonly #shownCtes: string[] = [];
  readonly #handlers: Readonly<Record<string, Handler>>;
  #depth = 0;
  #minServerVersionNum = 0;

  constructor(handlers: Readonly<Record<string, Handler>>) {
    this.#handlers = handlers;
  }

  /** Visits a wrapped node `{ Type: body }`. */
  visit(node: unknown): void {
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      throw new Refusal("malformed", "unexpected value in the parse tree");
    }
    const keys = Object.keys(node);
    if (keys.length === 0) return; // a NULL entry in a node list
    if (keys.length !== 1)
      throw new Refusal("malformed", "unexpected node shape in the parse tree");
    const type = keys[0]!;
    this.visitBare(type, (node as Body)[type]);
  }

  /** Visits an unwrapped node of a known type. */
  visitBare(type: string, body: unknown): void {
    if (!Object.hasOwn(NODE_SCHEMA, type)) throw unsupported(`unsupported syntax (${type})`);
    if (typeof body !== "object" || body === null) {
      throw new Refusal("malformed", `unexpected ${type} in the parse tree`);
    }

    if (++this.#depth > MAX_DEPTH) throw unsupported("statement nested too deeply");
    try {
      const handler = this.#handlers[type];
      if (handler === undefined) this.visitFields(type, body as Body);
      else handler(this, body as Body);
    } finally {
      this.#depth--;
    }
  }

  /** Visits every field of `body` by its schema, except the fields named in `skip`. */
  visitFields(type: string, body: Body, skip: readonly string[] = []): void {
    const schema = NODE_SCHEMA[type]!;
    for (const [field, value] of Object.entries(body)) {
      if (skip.includes(field) || value === undefined) continue;
      const kind = Object.hasOwn(schema, field) ? schema[field] : undefined;
      if (kind === undefined) throw unsupported(`unsupported syntax (${type}.${field})`);
      this.#visitField(kind, value);
    }
  }

  #visitField(kind: string, value: unknown): void {
    if (kind === "scalar") {
      if (typeof value === "object" && value !== null) {
        throw new Refusal("malformed", "unexpected structure in a scalar field");
      }
      return;
    }
    if (kind === "node") return this.visit(value);

    if (kind.startsWith("bare:")) return this.visitBare(kind.slice(5), value);

    if (!Array.isArray(value)) throw new Refusal("malformed", "expected a list in the parse tree");
    for (const item of value) {
      if (kind === "nodes") this.visit(item);
      else this.visitBare(kind.slice(kind.indexOf(":") + 1), item);
    }
  }

  /** True when an unqualified name refers to a CTE visible here. */
  isCte(name: string): boolean {
    return this.#visibleCtes.has(name);
  }

  /** Makes a CTE name visible until {@link hideCtes} goes back past it. */
  showCte(name: string): void {
    this.#shownCtes.push(name);
    this.#visibleCtes.set(name, (this.#visibleCtes.get(name) ?? 0) + 1);
  }

  /** A mark for {@link hideCtes}: how many CTE names are shown now. */
  cteMark(): number {
    return this.#shownCtes.length;
  }

  /** Hides the CTE names shown since `mark`. */
  hideCtes(mark: number): void {
    while (this.#shownCtes.length > mark) {
      const name = this.#shownCtes.pop()!;
      const count = this.#visibleCtes.get(name)! - 1;
      if (count === 0) this.#visibleCtes.delete(name);
      else this.#visibleCtes.set(name, count);
    }
  }

  /** How deep the walk is: 1 while visiting a top-level statement node. */
  get depth(): number {
    return this.#depth;
  }

  /**
   * Records a relation named by a `RangeVar`. A bare name that matches a visible CTE is not a
   * relation, except for a statement's target (`target: true`), which never names a CTE.
   */
  addRelation(rangeVar: Body, actions: readonly Action[], options: { target?: boolean } = {}) {
    const name = rangeVar["relname"];
    const schema = rangeVar["schemaname"];
    if (typeof name !== "string" || name === "") throw new Refusal("malformed", "relation name");
    if (schema !== undefined && typeof schema !== "string") {
      throw new Refusal("malformed", "relation schema");
    }

    if (rangeVar["catalogname"] !== undefined) {
      throw unsupported("relation names with a database part are not supported");
    }

    if (rangeVar["relpersistence"] === "t" || (schema !== undefined && isTempSchema(schema))) {
      throw new Refusal("out-of-scope", "temporary relations are never in scope");
    }

    if (options.target !== true && schema === undefined && this.isCte(name)) return;

    this.relations.push({ schema, name, actions: new Set(actions) });
  }

  /** Records a function call by its (possibly qualified) name. */
  addFunction(nameParts: readonly string[], argumentCount: number): void {
    const [first, second] = nameParts;
    if (nameParts.length === 1) {
      return void this.functions.push({ schema: undefined, name: first!, argumentCount });
    }
    if (nameParts.length === 2) {
      return void this.functions.push({ schema: first!, name: second!, argumentCount });
    }
    throw unsupported("function names with a database part are not supported");
  }

  /** Records that the statement needs a server of at least this `server_version_num`. */
  requireServerVersion(versionNum: number): void {
    if (versionNum > this.#minServerVersionNum) this.#minServerVersionNum = versionNum;
  }

  /** The highest `server_version_num` the syntax walked so far needs; 0 when any will do. */
  get minServerVersionNum(): number {
    return this.#minServerVersionNum;
  }
}

function isTempSchema(schema: string): boolean {
  return /^pg_temp(_\d+)?$/.test(schema);
}

/** The `sval` of each `String` node in a name list; anything else is malformed. */
export function stringList(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) throw new Refusal("malformed", "expected a name list");
  return nodes.map((node) => {
    const sval = (node as { String?: { sval?: unknown } })?.String?.sval;
    if (typeof sval !== "string") throw new Refusal("malformed", "expected a name");
    return sval;
  });
}
