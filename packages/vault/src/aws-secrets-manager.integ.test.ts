// The AWS store against a real Secrets Manager endpoint, when one is configured:
// PULSE_AWS_SM_REGION (and credentials through the usual AWS variables or profile), optionally
// PULSE_AWS_SM_ENDPOINT (an endpoint override) and PULSE_AWS_SM_ACCOUNT. Secrets are created
// under a fresh `pulse-test-…` prefix and force-deleted afterwards.
import {
  DeleteSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, describe, it } from "vitest";
import { awsStoreContract } from "../test/helpers/aws-contract.js";
import { createAwsSecretsManagerStore } from "./aws-secrets-manager.js";

const region = process.env["PULSE_AWS_SM_REGION"];

if (region) {
  const endpoint = process.env["PULSE_AWS_SM_ENDPOINT"];
  const accountId = process.env["PULSE_AWS_SM_ACCOUNT"];
  const client = new SecretsManagerClient({ region, ...(endpoint && { endpoint }) });
  const store = createAwsSecretsManagerStore({
    client,
    recoveryWindowInDays: 7,
    ...(accountId !== undefined && { accountId }),
  });
  const root = `pulse-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let run = 0;
  awsStoreContract(`endpoint ${endpoint ?? region}`, () => ({ store, prefix: `${root}/${++run}` }));

  afterAll(async () => {
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new ListSecretsCommand({
          Filters: [{ Key: "name", Values: [root] }],
          IncludePlannedDeletion: true,
          ...(NextToken !== undefined && { NextToken }),
        }),
      );
      for (const secret of page.SecretList ?? []) {
        const input = { SecretId: secret.ARN!, ForceDeleteWithoutRecovery: true };
        await client.send(new DeleteSecretCommand(input));
      }
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    client.destroy();
  });
} else {
  describe.skip("AWS Secrets Manager against a real endpoint (set PULSE_AWS_SM_REGION)", () => {
    it("runs the AWS store contract", () => undefined);
  });
}
