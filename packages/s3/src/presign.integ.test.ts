import type { S3Client } from "@aws-sdk/client-s3";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { runWithToken } from "@pulse/core/scope";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalS3 } from "../test/local-s3.js";
import { localS3Client, startLocalS3 } from "../test/local-s3.js";
import type { Broker } from "../test/tokens.js";
import { testBroker } from "../test/tokens.js";
import { withPulse } from "./index.js";

const BUCKET = "acme-reports";

let server: LocalS3;
let broker: Broker;
let raw: S3Client;
let s3: S3Client;
let shadow: S3Client;

beforeAll(async () => {
  server = await startLocalS3([BUCKET]);
  broker = await testBroker();
  raw = localS3Client(server.endpoint);
  s3 = withPulse(localS3Client(server.endpoint), { verifier: await broker.verifier() });
  shadow = withPulse(localS3Client(server.endpoint), {
    verifier: await broker.verifier("shadow"),
  });
  const Body = "quarterly numbers";
  await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: "team-a/q1.csv", Body }));
});

afterAll(async () => {
  for (const client of [raw, s3, shadow]) client?.destroy();
  await server?.close();
});

beforeEach(() => {
  broker.audit.records.length = 0;
});

const getQ1 = () => new GetObjectCommand({ Bucket: BUCKET, Key: "team-a/q1.csv" });

async function reasonOf(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => expect.fail("presigning was not denied"),
    (e: { code?: unknown; reason?: unknown }) => e,
  );
  expect(error.code).toBe("ERR_PULSE_DENIED");
  return error.reason;
}

describe("getSignedUrl runs the PULSE middleware", () => {
  it("an allowed presigned GET works against s3rver", async () => {
    const token = await broker.token({ lifetimeSeconds: 300 });
    const url = await runWithToken(token, () => getSignedUrl(s3, getQ1(), { expiresIn: 60 }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("quarterly numbers");
    expect(broker.audit.records).toEqual([
      expect.objectContaining({ outcome: "allow", operation: "GetObjectCommand" }),
    ]);
  });

  it("presigned-get-out-of-scope: no URL for hr-private/", async () => {
    const token = await broker.token();
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: "hr-private/salaries.csv" });
    const reason = await reasonOf(runWithToken(token, () => getSignedUrl(s3, command)));
    expect(reason).toBe("out-of-scope");
  });

  it("presigned-put-out-of-scope: no upload URL for team-a-old/", async () => {
    const token = await broker.token();
    const command = new PutObjectCommand({ Bucket: BUCKET, Key: "team-a-old/x.csv" });
    const reason = await reasonOf(runWithToken(token, () => getSignedUrl(s3, command)));
    expect(reason).toBe("out-of-scope");
  });

  it("presigned-url-outlives-token: expiresIn past the token's exp is expired", async () => {
    const token = await broker.token({ lifetimeSeconds: 60 });
    const presign = () => getSignedUrl(s3, getQ1(), { expiresIn: 900 });
    expect(await reasonOf(runWithToken(token, presign))).toBe("expired");
    // The token covers the object (first record); the URL it would have become does not.
    expect(broker.audit.records).toEqual([
      expect.objectContaining({ outcome: "allow", operation: "GetObjectCommand" }),
      expect.objectContaining({
        outcome: "deny",
        reason: "expired",
        operation: "GetObjectCommand (presign)",
        detail: expect.stringContaining("outlives the token"),
      }),
    ]);
  });

  it("the default expiresIn (900 s) is checked too", async () => {
    const token = await broker.token({ lifetimeSeconds: 120 });
    expect(await reasonOf(runWithToken(token, () => getSignedUrl(s3, getQ1())))).toBe("expired");
  });

  it("a signing date in the future cannot stretch the URL past the token", async () => {
    const token = await broker.token({ lifetimeSeconds: 300 });
    const signingDate = new Date(Date.now() + 280_000);
    const presign = () => getSignedUrl(s3, getQ1(), { expiresIn: 60, signingDate });
    expect(await reasonOf(runWithToken(token, presign))).toBe("expired");
  });

  it("shadow mode returns the URL and audits the would-be denial", async () => {
    const token = await broker.token({ lifetimeSeconds: 60 });
    const url = await runWithToken(token, () => getSignedUrl(shadow, getQ1(), { expiresIn: 900 }));
    expect(new URL(url).searchParams.get("X-Amz-Expires")).toBe("900");
    expect(broker.audit.records.at(-1)).toMatchObject({
      reason: "expired",
      mode: "shadow",
      blocked: false,
    });
  });
});
