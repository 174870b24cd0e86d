import type { Action } from "@pulse/core";
import { Refusal, unsupported } from "./refusal.js";
import type { TreeWalker } from "./tree-walker.js";
import { stringList } from "./tree-walker.js";

type Body = Record<string, unknown>;

function body(node: unknown, type: string): Body {
  const inner = (node as Record<string, unknown> | null)?.[type];
  if (typeof inner !== "object" || inner === null)
    throw new Refusal("malformed", `expected ${type}`);
  return inner as Body;
}

function topLevelOnly(walker: TreeWalker, what: string): void {
  if (walker.depth > 1) throw unsupported(`${what} inside another statement`);
}

/** Runs `fn` under a WITH clause: CTE names are visible where PostgreSQL makes them visible. */
function underWith(walker: TreeWalker, withClause: unknown, fn: () => void): void {
  if (withClause === undefined) return fn();

  const clause = withClause as Body;
  for (const key of Object.keys(clause)) {
    if (!["ctes", "recursive", "location"].includes(key)) throw unsupported(`WITH ${key}`);
  }
  const ctes = Array.isArray(clause["ctes"]) ? clause["ctes"] : [];
  const names = ctes.map((cte) => {
    const name = body(cte, "CommonTableExpr")["ctename"];
    if (typeof name !== "string") throw new Refusal("malformed", "CTE without a name");
    return name;
  });

  // A non-recursive CTE sees only the CTEs before it; a recursive WITH sees all of them.
  const recursive = clause["recursive"] === true;
  const mark = walker.cteMark();
  try {
    if (recursive) for (const name of names) walker.showCte(name);
    ctes.forEach((cte, i) => {
      walker.visit(cte);
      if (!recursive) walker.showCte(names[i]!);
    });
    fn();
  } finally {
    walker.hideCtes(mark);
  }
}

function target(walker: TreeWalker, relation: unknown, actions: readonly Action[]): void {
  if (typeof relation !== "object" || relation === null) {
    throw new Refusal("malformed", "statement without a target relation");
  }
  walker.addRelation(relation as Body, actions, { target: true });
}

function into(walker: TreeWalker, intoClause: unknown): void {
  const clause = intoClause as Body;
  target(walker, clause["rel"], ["write", "admin"]);
  walker.visitFields("IntoClause", clause, ["rel"]);
}

function selectStmt(walker: TreeWalker, b: Body): void {
  underWith(walker, b["withClause"], () => {
    const mark = walker.relations.length;
    walker.visitFields("SelectStmt", b, ["withClause", "intoClause", "lockingClause"]);

    // FOR UPDATE/SHARE locks rows: every relation the SELECT reads is written to.
    const locking = b["lockingClause"];
    if (locking !== undefined) {
      for (const clause of locking as unknown[]) {
        walker.visitFields("LockingClause", body(clause, "LockingClause"), ["lockedRels"]);
      }
      for (const use of walker.relations.slice(mark)) use.actions.add("write");
    }

    if (b["intoClause"] !== undefined) {
      topLevelOnly(walker, "SELECT … INTO");
      into(walker, b["intoClause"]);
    }
  });
}

// RETURNING reads the target back; ON CONFLICT reads the conflicting row (DO UPDATE reads its
// columns in SET and WHERE, and a failing constraint prints the row in its error).
function insertStmt(walker: TreeWalker, b: Body): void {
  underWith(walker, b["withClause"], () => {
    const readsBack = b["returningClause"] !== undefined || b["onConflictClause"] !== undefined;
    target(walker, b["relation"], readsBack ? ["write", "read"] : ["write"]);
    walker.visitFields("InsertStmt", b, ["withClause", "relation"]);
  });
}

// PostgreSQL asks for SELECT privilege when WHERE or RETURNING reads the target; so does PULSE.
function readsTarget(b: Body): boolean {
  return b["whereClause"] !== undefined || b["returningClause"] !== undefined;
}

// UPDATE always reads its target: SET expressions read its columns (PostgreSQL asks for SELECT
// on them), and a failing CHECK or NOT NULL constraint prints the whole new row in its error.
function updateStmt(walker: TreeWalker, b: Body): void {
  underWith(walker, b["withClause"], () => {
    target(walker, b["relation"], ["write", "read"]);
    walker.visitFields("UpdateStmt", b, ["withClause", "relation"]);
  });
}

function deleteStmt(walker: TreeWalker, b: Body): void {
  underWith(walker, b["withClause"], () => {
    target(walker, b["relation"], readsTarget(b) ? ["delete", "read"] : ["delete"]);
    walker.visitFields("DeleteStmt", b, ["withClause", "relation"]);
  });
}

function mergeStmt(walker: TreeWalker, b: Body): void {
  underWith(walker, b["withClause"], () => {
    // MERGE takes the target for writing even when every branch is DO NOTHING.
    const actions = new Set<Action>(["read", "write"]);
    for (const clause of (b["mergeWhenClauses"] ?? []) as unknown[]) {
      const command = body(clause, "MergeWhenClause")["commandType"];
      if (command === "CMD_DELETE") actions.add("delete");
      else if (!["CMD_UPDATE", "CMD_INSERT", "CMD_NOTHING"].includes(String(command)))
        throw unsupported(`MERGE action ${String(command)}`);
    }
    target(walker, b["relation"], [...actions]);
    walker.visitFields("MergeStmt", b, ["withClause", "relation"]);
  });
}

function isAnalyze(option: unknown): boolean {
  const def = body(option, "DefElem");
  if (def["defname"] !== "analyze") return false;
  const arg = def["arg"] as Record<string, Body> | undefined;
  if (arg === undefined) return true;
  if (arg["Boolean"] !== undefined) return arg["Boolean"]["boolval"] === true;
  if (arg["Integer"] !== undefined) return (arg["Integer"]["ival"] ?? 0) !== 0;
  const text = arg["String"]?.["sval"];
  return !(typeof text === "string" && ["false", "off", "no", "0"].includes(text.toLowerCase()));
}

function explainStmt(walker: TreeWalker, b: Body): void {
  topLevelOnly(walker, "EXPLAIN");
  const options = (b["options"] ?? []) as unknown[];
  const analyze = options.some(isAnalyze);

  const mark = walker.relations.length;
  walker.visitFields("ExplainStmt", b);

  // Without ANALYZE nothing runs: the plan only reveals what the relations hold (statistics).
  if (analyze) return;
  for (const use of walker.relations.slice(mark)) {
    use.actions.clear();
    use.actions.add("read");
  }
}

function truncateStmt(walker: TreeWalker, b: Body): void {
  topLevelOnly(walker, "TRUNCATE");
  if (b["behavior"] === "DROP_CASCADE") {
    throw unsupported("TRUNCATE … CASCADE empties tables the statement does not name");
  }
  for (const relation of (b["relations"] ?? []) as unknown[]) {
    target(walker, body(relation, "RangeVar"), ["delete"]);
  }
  walker.visitFields("TruncateStmt", b, ["relations"]);
}

const TRANSACTION_KINDS = new Set([
  "TRANS_STMT_BEGIN",
  "TRANS_STMT_START",
  "TRANS_STMT_COMMIT",
  "TRANS_STMT_ROLLBACK",
  "TRANS_STMT_SAVEPOINT",
  "TRANS_STMT_RELEASE",
  "TRANS_STMT_ROLLBACK_TO",
]);

function transactionStmt(walker: TreeWalker, b: Body): void {
  topLevelOnly(walker, "transaction control");
  if (!TRANSACTION_KINDS.has(String(b["kind"]))) {
    throw unsupported(`${String(b["kind"])} (two-phase commit) is not allowed`);
  }
  walker.visitFields("TransactionStmt", b);
}

const DROPPABLE = new Set([
  "OBJECT_TABLE",
  "OBJECT_VIEW",
  "OBJECT_MATVIEW",
  "OBJECT_SEQUENCE",
  "OBJECT_INDEX",
  "OBJECT_FOREIGN_TABLE",
]);

function dropStmt(walker: TreeWalker, b: Body): void {
  topLevelOnly(walker, "DROP");
  if (!DROPPABLE.has(String(b["removeType"]))) {
    throw unsupported(`DROP of ${String(b["removeType"])} is not allowed`);
  }
  if (b["behavior"] === "DROP_CASCADE") {
    throw unsupported("DROP … CASCADE drops objects the statement does not name");
  }
  for (const object of (b["objects"] ?? []) as unknown[]) {
    const parts = stringList(body(object, "List")["items"]);
    const name = parts.at(-1);
    const schema = parts.length === 2 ? parts[0] : undefined;
    if (parts.length === 3) throw unsupported("names with a database part are not supported");
    walker.addRelation({ schemaname: schema, relname: name }, ["admin"], { target: true });
  }
  walker.visitFields("DropStmt", b, ["objects"]);
}

function createTableAsStmt(walker: TreeWalker, b: Body): void {
  topLevelOnly(walker, "CREATE TABLE AS");
  if (b["objtype"] !== "OBJECT_TABLE" && b["objtype"] !== "OBJECT_MATVIEW") {
    throw unsupported(`CREATE ${String(b["objtype"])} AS is not allowed`);
  }
  into(walker, b["into"]);
  walker.visitFields("CreateTableAsStmt", b, ["into"]);
}

/** Handlers for the statement nodes the guard allows. */
export const STATEMENT_HANDLERS = {
  SelectStmt: selectStmt,
  InsertStmt: insertStmt,
  UpdateStmt: updateStmt,
  DeleteStmt: deleteStmt,
  MergeStmt: mergeStmt,
  ExplainStmt: explainStmt,
  TruncateStmt: truncateStmt,
  TransactionStmt: transactionStmt,
  DropStmt: dropStmt,
  CreateTableAsStmt: createTableAsStmt,
} as const;

/** Statement kinds that may appear at the top level of a text. */
export const TOP_LEVEL_KINDS: ReadonlySet<string> = new Set(Object.keys(STATEMENT_HANDLERS));
