import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { runWithToken } from "@pulse/core/scope";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsFixture } from "../test/fixtures/aws-secrets-manager-fixture.js";
import {
  FIXTURE_ACCOUNT,
  FIXTURE_REGION,
  startAwsFixture,
} from "../test/fixtures/aws-secrets-manager-fixture.js";
import { awsStoreContract } from "../test/helpers/aws-contract.js";
import type { TokenKit } from "../test/helpers/tokens.js";
import { codeOf, reasonOf, tokenKit } from "../test/helpers/tokens.js";
import { createAwsSecretsManagerStore } from "./aws-secrets-manager.js";
import { guardSecrets } from "./guard.js";
import type { SecretStore } from "./secret-store.js";

let fixture: AwsFixture;
let client: SecretsManagerClient;
let store: SecretStore;
let kit: TokenKit;

beforeAll(async () => {
  fixture = await startAwsFixture();
  client = new SecretsManagerClient({
    endpoint: fixture.endpoint,
    region: FIXTURE_REGION,
    credentials: { accessKeyId: "AKIDFIXTURE", secretAccessKey: "fixture-secret" },
    maxAttempts: 1,
  });
  store = createAwsSecretsManagerStore({ client, accountId: FIXTURE_ACCOUNT });
  kit = await tokenKit();
});

afterAll(async () => {
  client.destroy();
  await fixture.close();
});

let run = 0;
awsStoreContract("JSON 1.1 protocol fixture", () => ({ store, prefix: `t${++run}` }));

const arn = (account: string, region: string, name: string) =>
  `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
const BILLING_READ = [{ res: "vault://aws/app/billing/*", act: ["read"] as const }];

async function guardedAs<T>(fn: (secrets: SecretStore) => Promise<T>, guarded = store) {
  const secrets = guardSecrets(guarded, { verifier: kit.verifier, mount: "aws" });
  return runWithToken(await kit.token(BILLING_READ), () => fn(secrets));
}

describe("AWS names and ARNs resolve to one resource before the check", () => {
  it("a name, its partial ARN and its complete ARN read the same secret", async () => {
    const complete = fixture.seed("app/billing/db", "db-password");
    const partial = complete.slice(0, -7);
    for (const id of ["app/billing/db", partial, complete]) {
      expect((await guardedAs((s) => s.get(id))).value).toBe("db-password");
    }
    expect(kit.audit.records.slice(-3).map((r) => r.requests[0]?.resource)).toEqual([
      "vault://aws/app/billing/db",
      "vault://aws/app/billing/db",
      "vault://aws/app/billing/db",
    ]);
  });

  it("cross-account-arn: another account's ARN never matches a grant for a name here", async () => {
    const before = fixture.operations.length;
    const foreign = arn("999988887777", FIXTURE_REGION, "app/billing/db-AbCdEf");
    expect(await guardedAs((s) => reasonOf(s.get(foreign)))).toBe("out-of-scope");
    expect(kit.audit.records.at(-1)?.requests[0]?.resource).toBe(
      "vault://aws.999988887777.us-east-1/app/billing/db",
    );
    const otherRegion = arn(FIXTURE_ACCOUNT, "eu-west-1", "app/billing/db");
    expect(await guardedAs((s) => reasonOf(s.get(otherRegion)))).toBe("out-of-scope");
    expect(fixture.operations.length).toBe(before);
  });

  it("without accountId every ARN is foreign", async () => {
    const anonymous = createAwsSecretsManagerStore({ client });
    const home = arn(FIXTURE_ACCOUNT, FIXTURE_REGION, "app/billing/db");
    expect(await guardedAs((s) => reasonOf(s.get(home)), anonymous)).toBe("out-of-scope");
  });

  it("a malformed ARN or one with a dot segment is denied as malformed", async () => {
    for (const bad of [
      "arn:aws:s3:::bucket/key",
      "arn:aws:secretsmanager:us-east-1:1234:secret:app/billing/db",
      arn(FIXTURE_ACCOUNT, FIXTURE_REGION, "app/billing/../billing-admin/root"),
    ]) {
      expect(await guardedAs((s) => reasonOf(s.get(bad)))).toBe("malformed");
    }
    expect(await codeOf(store.get("arn:aws:s3:::bucket/key"))).toBe("ERR_PULSE_VAULT_INVALID_PATH");
  });

  it("arn-suffix-ambiguity: an answer for another name is refused", async () => {
    // Named so that its partial ARN looks complete: the guard checks `app/billing/x`, the
    // service answers with `app/billing/x-ABCDEF`.
    const complete = fixture.seed("app/billing/x-ABCDEF", "not-for-you");
    const ambiguous = complete.slice(0, -7);
    expect(await guardedAs((s) => codeOf(s.get(ambiguous)))).toBe("ERR_PULSE_VAULT_BACKEND");
  });

  it("batch-read: every secret of a batch is checked, nothing sent on deny", async () => {
    fixture.seed("app/billing/batch-a", "a");
    const before = fixture.operations.length;
    const foreign = arn("999988887777", FIXTURE_REGION, "app/billing/batch-a");
    expect(await guardedAs((s) => reasonOf(s.getMany(["app/billing/batch-a", foreign])))).toBe(
      "out-of-scope",
    );
    expect(fixture.operations.length).toBe(before);

    const records = await guardedAs((s) => s.getMany(["app/billing/batch-a", "app/billing/db"]));
    expect(records.map((r) => r.value)).toEqual(["a", "db-password"]);
    expect(fixture.operations.slice(before)).toEqual(["BatchGetSecretValue"]);
  });

  it("a write with a read-only token is action-not-granted and never sent", async () => {
    const before = fixture.operations.length;
    expect(await guardedAs((s) => reasonOf(s.put("app/billing/db", "rotated")))).toBe(
      "action-not-granted",
    );
    expect(fixture.operations.length).toBe(before);
  });

  it("refuses bad options", () => {
    const bad = [{}, { client, accountId: "12" }, { client, recoveryWindowInDays: 3 }];
    for (const options of bad) {
      expect(() => createAwsSecretsManagerStore(options as never)).toThrow(
        expect.objectContaining({ code: "ERR_PULSE_VAULT_INVALID_OPTIONS" }),
      );
    }
  });
});
