// The secrets chapter: the embedded encrypted file store under the story's scratch directory,
// guarded by @pulse/vault. A billing service holds a read-only token for its own secrets.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createVerifier } from "@pulse/core";
import { runWithToken } from "@pulse/core/scope";
import { createFileSecretStore, guardSecrets } from "@pulse/vault";
import type { Chapter, StoryContext } from "../story.js";

const MOUNT = "secret";
const LIFETIME_SECONDS = 300;
const vaultUri = (path: string) => `vault://${MOUNT}/${path}`;

function readOnlyBillingToken(story: StoryContext): Promise<string> {
  return story.mint({
    sub: "svc:billing",
    aud: "vault",
    pcl: "service",
    cap: [{ res: vaultUri("app/billing/*"), act: ["read"] }],
    jus: { ref: "CHG-2207", txt: "Billing service reads its database credentials" },
    grt: { id: "billing-secrets-read", ver: "sha256:demo" },
    lifetimeSeconds: LIFETIME_SECONDS,
  });
}

export const secretsChapter: Chapter = {
  title: "Secrets: @pulse/vault on the embedded encrypted file store",
  summary: [
    "token: svc:billing may read vault://secret/app/billing/* (grant billing-secrets-read)",
  ],

  async run(story: StoryContext) {
    // A key made for this run; a deployment reads it from PULSE_VAULT_KEY or a key file.
    const store = createFileSecretStore({
      directory: join(story.workDir, "secrets"),
      key: randomBytes(32),
    });

    // The operator seeds the store directly, without PULSE.
    await store.put("app/billing/db", { user: "billing", password: "demo-only" });
    await store.put("app/billing-admin/root", { user: "root", password: "demo-only" });

    const verifier = await createVerifier({
      keys: story.jwks,
      issuer: story.issuer,
      audience: "vault",
      revocation: story.revocations,
      audit: story.audit,
    });
    const secrets = guardSecrets(store, { verifier, mount: MOUNT });
    const token = await readOnlyBillingToken(story);
    const asBilling = <T>(fn: () => Promise<T>) => runWithToken(token, fn);

    const db = "app/billing/db";
    await story.attempt("billing reads its db credentials", "get", vaultUri(db), () =>
      asBilling(() => secrets.get(db)),
    );

    const admin = "app/billing-admin/root";
    await story.attempt("same token, sibling path billing-admin", "get", vaultUri(admin), () =>
      asBilling(() => secrets.get(admin)),
    );

    const escape = "app/billing/../billing-admin/root";
    await story.attempt("path with '..' to climb out", "get", vaultUri(escape), () =>
      asBilling(() => secrets.get(escape)),
    );

    await story.attempt("rotation with the read-only token", "put", vaultUri(db), () =>
      asBilling(() => secrets.put(db, { user: "billing", password: "rotated" })),
    );
  },
};
