import { BUILTIN_OPERATORS } from "./functions.js";
import { Refusal, unsupported } from "./refusal.js";
import type { TreeWalker } from "./tree-walker.js";
import { stringList } from "./tree-walker.js";

type Body = Record<string, unknown>;

const SAMPLING_METHODS = new Set(["system", "bernoulli"]);

// BETWEEN is not an operator: its A_Expr carries the keywords, and the server compares with the
// unqualified built-in `>=` and `<=`.
const BETWEEN_KEYWORDS: Readonly<Record<string, string>> = {
  AEXPR_BETWEEN: "BETWEEN",
  AEXPR_NOT_BETWEEN: "NOT BETWEEN",
  AEXPR_BETWEEN_SYM: "BETWEEN SYMMETRIC",
  AEXPR_NOT_BETWEEN_SYM: "NOT BETWEEN SYMMETRIC",
};

/**
 * An operator is a call of its function. Only the built-in symbols pass, unqualified or as
 * `OPERATOR(pg_catalog.…)`: any other name is a user-defined operator the guard cannot see into.
 */
function checkOperator(nameNodes: unknown): void {
  const parts = stringList(nameNodes);
  const symbol = parts.at(-1);
  const written = parts.join(".");
  if (symbol === undefined) throw new Refusal("malformed", "operator without a name");

  if (parts.length > 2 || (parts.length === 2 && parts[0] !== "pg_catalog")) {
    throw unsupported(
      `operator ${written} is outside pg_catalog: a user-defined operator calls a function`,
    );
  }

  if (!BUILTIN_OPERATORS.has(symbol)) {
    throw unsupported(
      `operator ${written} is not a built-in operator: a user-defined operator calls a function`,
    );
  }
}

// SQL/JSON syntax and the `server_version_num` that introduced it. The PostgreSQL 18 parser makes
// nodes of `JSON(…)`, `JSON_VALUE(…)`, `JSON_ARRAY(…)` and the like; an older server parses the
// same text as calls of functions with those names, resolved through the search path.
const SYNTAX_SINCE: Readonly<Record<string, number>> = {
  JsonObjectConstructor: 160000,
  JsonArrayConstructor: 160000,
  JsonArrayQueryConstructor: 160000,
  JsonObjectAgg: 160000,
  JsonArrayAgg: 160000,
  JsonIsPredicate: 160000,
  JsonKeyValue: 160000,
  JsonValueExpr: 160000,
  JsonFormat: 160000,
  JsonReturning: 160000,
  JsonOutput: 160000,
  JsonAggConstructor: 160000,
  JsonParseExpr: 170000,
  JsonScalarExpr: 170000,
  JsonSerializeExpr: 170000,
  JsonFuncExpr: 170000,
  JsonArgument: 170000,
  JsonBehavior: 170000,
  JsonTable: 170000,
  JsonTablePathSpec: 170000,
  JsonTableColumn: 170000,
};

type Handler = (walker: TreeWalker, b: Body) => void;

const SYNTAX_VERSION_HANDLERS: Readonly<Record<string, Handler>> = Object.fromEntries(
  Object.entries(SYNTAX_SINCE).map(([type, versionNum]): [string, Handler] => [
    type,
    (walker, b) => {
      walker.requireServerVersion(versionNum);
      walker.visitFields(type, b);
    },
  ]),
);

/** Handlers for the non-statement nodes that name relations, functions or operators. */
export const EXPRESSION_HANDLERS = {
  ...SYNTAX_VERSION_HANDLERS,

  /** A relation read anywhere in the tree (targets are recorded by the statement handlers). */
  RangeVar(walker: TreeWalker, b: Body): void {
    walker.addRelation(b, ["read"]);
  },

  FuncCall(walker: TreeWalker, b: Body): void {
    const args = b["args"];
    walker.addFunction(stringList(b["funcname"]), Array.isArray(args) ? args.length : 0);
    walker.visitFields("FuncCall", b, ["funcname"]);
  },

  /** Operators, `IN`, `LIKE`, `IS DISTINCT FROM`, `NULLIF`, `BETWEEN`, row comparisons. */
  A_Expr(walker: TreeWalker, b: Body): void {
    const between = BETWEEN_KEYWORDS[String(b["kind"])];
    if (between === undefined) checkOperator(b["name"]);
    else if (stringList(b["name"]).join(" ") !== between) {
      throw new Refusal("malformed", `unexpected name of ${String(b["kind"])}`);
    }
    walker.visitFields("A_Expr", b, ["name"]);
  },

  /** `x op ANY (SELECT …)`, `x op ALL (SELECT …)`, `(a, b) op (SELECT …)`. */
  SubLink(walker: TreeWalker, b: Body): void {
    if (b["operName"] !== undefined) checkOperator(b["operName"]);
    walker.visitFields("SubLink", b, ["operName"]);
  },

  /** `ORDER BY x USING op`. */
  SortBy(walker: TreeWalker, b: Body): void {
    if (b["useOp"] !== undefined) checkOperator(b["useOp"]);
    walker.visitFields("SortBy", b, ["useOp"]);
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
