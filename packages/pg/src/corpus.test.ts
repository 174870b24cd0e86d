// The curated corpus (test/corpus.ts): every statement's action, relations, decision and reason.
import type { Decision } from "@pulse/core";
import { parseResource } from "@pulse/core";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS, CORPUS_GRANT } from "../test/corpus.js";
import type { TestAuthority } from "../test/tokens.js";
import { testAuthority } from "../test/tokens.js";
import { analyzeSql } from "./analyze-sql.js";

let authority: TestAuthority;
let token: string;

beforeAll(async () => {
  authority = await testAuthority();
  token = await authority.token(CORPUS_GRANT);
});

async function judge(sql: string) {
  const analysis = await analyzeSql(sql, { database: "appdb", searchPath: ["public"] });
  if (!analysis.ok)
    return { action: "none", relations: [], outcome: "deny", reason: analysis.reason };

  const relations = analysis.requests
    .map((r) => parseResource(r.resource))
    .filter((r) => r.pgKind === "relation")
    .map((r) => r.path);
  const actions = analysis.statements.map((s) => s.action).filter((a) => a !== undefined);
  const action = ["admin", "delete", "write", "list", "read"].find((a) =>
    actions.includes(a as never),
  );

  let decision: Decision | undefined;
  if (analysis.requests.length > 0)
    decision = await authority.verifier.check(token, analysis.requests);
  return {
    action: action ?? "none",
    relations: [...new Set(relations)].sort(),
    outcome: decision?.outcome ?? "allow",
    reason: decision !== undefined && decision.outcome !== "allow" ? decision.reason : undefined,
  };
}

describe("curated corpus", () => {
  it("holds at least 60 statements", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS.map((c) => [c.sql, c] as const))("%s", async (_sql, expected) => {
    const got = await judge(expected.sql);
    expect(got).toEqual({
      action: expected.action,
      relations: [...expected.relations].sort(),
      outcome: expected.decision,
      reason: expected.reason,
    });
  });
});
