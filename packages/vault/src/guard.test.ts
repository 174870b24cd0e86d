import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInScope, runWithToken } from "@pulse/core/scope";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CountingStore } from "../test/helpers/counting-store.js";
import { countingStore } from "../test/helpers/counting-store.js";
import type { TokenKit } from "../test/helpers/tokens.js";
import { codeOf, reasonOf, tokenKit } from "../test/helpers/tokens.js";
import { createFileSecretStore } from "./file-store.js";
import { guardSecrets } from "./guard.js";
import type { SecretStore } from "./secret-store.js";

let directory: string;
let inner: CountingStore;
let kit: TokenKit;
let secrets: SecretStore;

const BILLING_READ = [{ res: "vault://secret/app/billing/*", act: ["read"] as const }];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "pulse-vault-guard-"));
  const file = createFileSecretStore({ directory, key: randomBytes(32) });
  await file.put("app/billing/db", { password: "db" });
  await file.put("app/billing", { node: "itself" });
  await file.put("app/billing-admin/root", { password: "root" });
  inner = countingStore(file);
  kit = await tokenKit();
  secrets = guardSecrets(inner, { verifier: kit.verifier, mount: "secret" });
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function as<T>(cap: Parameters<TokenKit["token"]>[0], fn: () => Promise<T>): Promise<T> {
  return runWithToken(await kit.token(cap), fn);
}

describe("guardSecrets: grants and paths", () => {
  it("allows a read the grant covers", async () => {
    const record = await as(BILLING_READ, () => secrets.get("app/billing/db"));
    expect(record.value).toEqual({ password: "db" });
    expect(inner.calls).toEqual(["get:app/billing/db"]);
  });

  it("billing-admin-sibling: app/billing/* never covers app/billing-admin/root", async () => {
    expect(await as(BILLING_READ, () => reasonOf(secrets.get("app/billing-admin/root")))).toBe(
      "out-of-scope",
    );
    expect(inner.calls).toEqual([]);
  });

  it("node-itself: a grant on app/billing/* never covers the node app/billing", async () => {
    expect(await as(BILLING_READ, () => reasonOf(secrets.get("app/billing")))).toBe("out-of-scope");
    expect(inner.calls).toEqual([]);
  });

  it("dot-segment-escape: raw and percent-encoded .. are malformed and never sent", async () => {
    const bad = [
      "app/billing/../billing-admin/root",
      "app/billing/%2e%2e/x",
      "app/billing/%252E./x",
    ];
    for (const path of bad) {
      expect(await as(BILLING_READ, () => reasonOf(secrets.get(path)))).toBe("malformed");
    }
    expect(await as(BILLING_READ, () => reasonOf(secrets.get("app/billing//db")))).toBe(
      "malformed",
    );
    expect(await as(BILLING_READ, () => reasonOf(secrets.get("app/billing/db\u0000")))).toBe(
      "malformed",
    );
    expect(inner.calls).toEqual([]);
  });

  it("is case-sensitive", async () => {
    const grant = [{ res: "vault://secret/App/Billing/*", act: ["read"] as const }];
    expect(await as(grant, () => reasonOf(secrets.get("app/billing/db")))).toBe("out-of-scope");
  });

  it("another mount is another instance", async () => {
    const grant = [{ res: "vault://secret-old/app/billing/*", act: ["read"] as const }];
    expect(await as(grant, () => reasonOf(secrets.get("app/billing/db")))).toBe("out-of-scope");
  });

  it("denies a call with no token as malformed", async () => {
    expect(await reasonOf(secrets.get("app/billing/db"))).toBe("malformed");
    expect(inner.calls).toEqual([]);
  });
});

describe("guardSecrets: actions", () => {
  it("read-only-rotation: a write with a read-only token is action-not-granted", async () => {
    expect(
      await as(BILLING_READ, () => reasonOf(secrets.put("app/billing/db", { p: "new" }))),
    ).toBe("action-not-granted");
    expect(inner.calls).toEqual([]);
  });

  it("maps delete, undelete and destroy to delete", async () => {
    const reader = BILLING_READ;
    const deleter = [{ res: "vault://secret/app/billing/*", act: ["delete"] as const }];
    const calls = [
      () => secrets.delete("app/billing/db"),
      () => secrets.undelete("app/billing/db", { versions: [1] }),
      () => secrets.destroy("app/billing/db", { versions: [1] }),
    ];
    for (const call of calls) {
      expect(await as(reader, () => reasonOf(call()))).toBe("action-not-granted");
      expect(await as(deleter, () => reasonOf(call()))).toBeUndefined();
    }
    expect(kit.audit.records.at(-1)?.requests).toEqual([
      { resource: "vault://secret/app/billing/db", action: "delete" },
    ]);
  });

  it("maps metadata to list on the secret", async () => {
    const lister = [{ res: "vault://secret/app/billing/*", act: ["list"] as const }];
    expect(await as(BILLING_READ, () => reasonOf(secrets.metadata("app/billing/db")))).toBe(
      "action-not-granted",
    );
    const meta = await as(lister, () => secrets.metadata("app/billing/db"));
    expect(meta.currentVersion).toBe(1);
  });

  it("maps list to a list on the prefix path/, never above the grant", async () => {
    const lister = [{ res: "vault://secret/app/billing/*", act: ["list"] as const }];
    expect(await as(lister, () => secrets.list("app/billing"))).toEqual(["db"]);
    expect(kit.audit.records.at(-1)?.requests).toEqual([
      { resource: "vault://secret/app/billing/", action: "list" },
    ]);
    expect(await as(lister, () => reasonOf(secrets.list("app")))).toBe("out-of-scope");
    expect(await as(lister, () => reasonOf(secrets.list("")))).toBe("out-of-scope");
    expect(await as(lister, () => reasonOf(secrets.list("app/billing-admin")))).toBe(
      "out-of-scope",
    );
    expect(await as(lister, () => reasonOf(secrets.list("app/billing//")))).toBe("malformed");
  });

  it("listing-trailing-empty-segment: app/billing// is malformed", async () => {
    const lister = [{ res: "vault://secret/app/*", act: ["list"] as const }];
    expect(await as(lister, () => reasonOf(secrets.list("app/billing//")))).toBe("malformed");
    expect(kit.audit.records.at(-1)).toMatchObject({
      reason: "malformed",
      operation: "secrets.list",
    });
    expect(inner.calls).toEqual([]);
  });

  it("batch-read: one uncovered secret denies the whole batch, nothing sent", async () => {
    const paths = ["app/billing/db", "app/billing-admin/root"];
    expect(await as(BILLING_READ, () => reasonOf(secrets.getMany(paths)))).toBe("out-of-scope");
    expect(inner.calls).toEqual([]);
    const records = await as(BILLING_READ, () => secrets.getMany(["app/billing/db"]));
    expect(records).toHaveLength(1);
  });
});

describe("batch-mutated-after-check", () => {
  it("a path swapped into the batch while the check runs is never read", async () => {
    const paths = ["app/billing/db"];
    const token = await kit.token(BILLING_READ);
    const pending = runWithToken(token, () => secrets.getMany(paths));
    paths[0] = "app/billing-admin/root";
    const records = await pending;
    expect(records.map((r) => r.path)).toEqual(["app/billing/db"]);
    expect(inner.calls.join(",")).not.toContain("billing-admin");
  });
});

describe("guardSecrets: modes, scope and audit", () => {
  it("audits each decision with the operation and reason", async () => {
    await as(BILLING_READ, () => reasonOf(secrets.get("app/billing-admin/root")));
    const record = kit.audit.records.at(-1);
    expect(record).toMatchObject({
      outcome: "deny",
      reason: "out-of-scope",
      operation: "secrets.get",
      blocked: true,
    });
    expect(JSON.stringify(record)).not.toContain('root"}');
  });

  it("one-decision-per-call: every call is checked and audited exactly once", async () => {
    const all = [
      { res: "vault://secret/app/*", act: ["read", "write", "delete", "list"] as const },
    ];
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["secrets.get", () => secrets.get("app/billing/db")],
      ["secrets.getMany", () => secrets.getMany(["app/billing/db", "app/billing"])],
      ["secrets.put", () => secrets.put("app/billing/db", { p: "2" })],
      ["secrets.delete", () => secrets.delete("app/billing/db")],
      ["secrets.undelete", () => secrets.undelete("app/billing/db", { versions: [2] })],
      ["secrets.destroy", () => secrets.destroy("app/billing/db", { versions: [1] })],
      ["secrets.list", () => secrets.list("app")],
      ["secrets.metadata", () => secrets.metadata("app/billing/db")],
    ];
    for (const [operation, call] of calls) {
      const before = kit.audit.records.length;
      await as(all, call);
      expect(kit.audit.records.slice(before).map((r) => r.operation)).toEqual([operation]);
    }
  });

  it("shadow mode runs the call and records what would have been denied", async () => {
    const shadow = guardSecrets(inner, { verifier: kit.verifier, mount: "secret", mode: "shadow" });
    const record = await as(BILLING_READ, () => shadow.get("app/billing-admin/root"));
    expect(record.value).toEqual({ password: "root" });
    expect(kit.audit.records.at(-1)).toMatchObject({ outcome: "deny", blocked: false });
  });

  it("shadow mode still never lets the backend take a non-canonical path", async () => {
    const shadow = guardSecrets(inner, { verifier: kit.verifier, mount: "secret", mode: "shadow" });
    expect(await codeOf(shadow.get("app/../x"))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
  });

  it("off mode checks nothing", async () => {
    const off = guardSecrets(inner, { verifier: kit.verifier, mount: "secret", mode: "off" });
    expect((await off.get("app/billing-admin/root")).value).toEqual({ password: "root" });
  });

  it("takes the token from options when the scope has none, the scope first", async () => {
    const fixed = guardSecrets(inner, {
      verifier: kit.verifier,
      mount: "secret",
      token: await kit.token(BILLING_READ),
    });
    expect((await fixed.get("app/billing/db")).value).toEqual({ password: "db" });
    const none = [{ res: "vault://secret/other/*", act: ["read"] as const }];
    expect(await as(none, () => reasonOf(fixed.get("app/billing/db")))).toBe("out-of-scope");
  });

  it("a failing token provider denies as malformed", async () => {
    const broken = guardSecrets(inner, {
      verifier: kit.verifier,
      mount: "secret",
      token: () => Promise.reject(new Error("broker down")),
    });
    expect(await runInScope({}, () => reasonOf(broken.get("app/billing/db")))).toBe("malformed");
  });

  it("an aborted signal rejects before the check", async () => {
    const signal = AbortSignal.abort();
    expect(await as(BILLING_READ, () => codeOf(secrets.get("app/billing/db", { signal })))).toBe(
      "ERR_PULSE_VAULT_ABORTED",
    );
  });

  it("refuses a bad mount or a missing verifier", () => {
    for (const mount of ["", "a/b", "..", "white space"]) {
      expect(() => guardSecrets(inner, { verifier: kit.verifier, mount })).toThrow(
        expect.objectContaining({ code: "ERR_PULSE_VAULT_INVALID_OPTIONS" }),
      );
    }
    expect(() => guardSecrets(inner, { mount: "secret" } as never)).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_VAULT_INVALID_OPTIONS" }),
    );
  });

  it("checks the location a store resolves a name to", async () => {
    const aliased: SecretStore = { ...inner, locate: () => ({ mount: "elsewhere", path: "x/y" }) };
    const guarded = guardSecrets(aliased, { verifier: kit.verifier, mount: "secret" });
    const grant = [{ res: "vault://elsewhere/x/*", act: ["read"] as const }];
    expect(await as(BILLING_READ, () => reasonOf(guarded.get("app/billing/db")))).toBe(
      "out-of-scope",
    );
    expect(await as(grant, () => reasonOf(guarded.get("app/billing/db")))).toBeUndefined();
  });
});

describe("guardSecrets: properties", () => {
  const segment = fc
    .string({ unit: fc.constantFrom(..."abz09-_."), minLength: 1, maxLength: 6 })
    .filter((s) => s !== "." && s !== "..");
  const dot = fc.constantFrom("..", ".", "%2e%2e", "%2E.", "%252e%252e");

  it("a dot segment anywhere is denied malformed and never reaches the store", async () => {
    const token = await kit.token([{ res: "vault://secret/*", act: ["read", "write"] }]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        dot,
        fc.nat(),
        async (segs, d, at) => {
          const i = at % (segs.length + 1);
          const path = [...segs.slice(0, i), d, ...segs.slice(i)].join("/");
          expect(await runWithToken(token, () => reasonOf(secrets.get(path)))).toBe("malformed");
          expect(await runWithToken(token, () => reasonOf(secrets.put(path, { v: 1 })))).toBe(
            "malformed",
          );
        },
      ),
      { numRuns: 50 },
    );
    expect(inner.calls).toEqual([]);
  });

  it("a read is allowed exactly when the secret is strictly below the granted node", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        async (grant, path) => {
          const token = await kit.token([
            { res: `vault://secret/${grant.join("/")}/*`, act: ["read"] },
          ]);
          const below = path.length > grant.length && grant.every((s, i) => path[i] === s);
          const reason = await runWithToken(token, () => reasonOf(secrets.get(path.join("/"))));
          // Allowed calls reach the store, which has no such secret.
          expect(reason === "ERR_PULSE_VAULT_NOT_FOUND").toBe(below);
          if (!below) expect(reason).toBe("out-of-scope");
        },
      ),
      { numRuns: 50 },
    );
  });
});
