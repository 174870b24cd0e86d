import { unsupported } from "./refusal.js";
import type { TreeWalker } from "./tree-walker.js";
import { stringList } from "./tree-walker.js";

type Body = Record<string, unknown>;

const SAMPLING_METHODS = new Set(["system", "bernoulli"]);

/** Handlers for the non-statement nodes that name relations, functions or operators. */
export const EXPRESSION_HANDLERS = {
  /** A relation read anywhere in the tree (targets are recorded by the statement handlers). */
  RangeVar(walker: TreeWalker, b: Body): void {
    walker.addRelation(b, ["read"]);
  },

  FuncCall(walker: TreeWalker, b: Body): void {
    walker.addFunction(stringList(b["funcname"]));
    walker.visitFields("FuncCall", b, ["funcname"]);
  },

  /** `OPERATOR(schema.op)` names an operator outside pg_catalog: its function is unknown. */
  A_Expr(walker: TreeWalker, b: Body): void {
    const name = b["name"] === undefined ? [] : stringList(b["name"]);
    if (name.length > 1 && name[0] !== "pg_catalog") {
      throw unsupported(`operator ${name.join(".")} outside pg_catalog`);
    }
    walker.visitFields("A_Expr", b);
  },

  /** TABLESAMPLE methods other than the built-in ones are functions. */
  RangeTableSample(walker: TreeWalker, b: Body): void {
    const method = stringList(b["method"]);
    if (method.length !== 1 || !SAMPLING_METHODS.has(method[0]!)) {
      throw unsupported(`TABLESAMPLE method ${method.join(".")}`);
    }
    walker.visitFields("RangeTableSample", b, ["method"]);
  },

  /** Only valid inside SELECT, where the statement handler reads it; refused elsewhere. */
  LockingClause(): void {
    throw unsupported("locking clause outside SELECT");
  },

  /** Only valid in a WITH clause, where the statement handler scopes it. */
  WithClause(): void {
    throw unsupported("WITH clause in an unexpected place");
  },
} as const;
