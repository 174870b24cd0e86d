import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { runInScope, runWithToken } from "@pulse/core/scope";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalS3 } from "../test/local-s3.js";
import { localS3Client, startLocalS3 } from "../test/local-s3.js";
import type { Broker } from "../test/tokens.js";
import { ISSUER, testBroker } from "../test/tokens.js";
import { withPulse } from "./index.js";

const BUCKET = "acme-reports";
const ARCHIVE = "acme-reports-archive";

let server: LocalS3;
let broker: Broker;
let raw: S3Client; // no PULSE: seeds objects and looks at what the guarded calls did
let s3: S3Client; // enforce
let shadow: S3Client;

beforeAll(async () => {
  server = await startLocalS3([BUCKET, ARCHIVE]);
  broker = await testBroker();
  raw = localS3Client(server.endpoint);
  s3 = withPulse(localS3Client(server.endpoint), { verifier: await broker.verifier() });
  shadow = withPulse(localS3Client(server.endpoint), {
    verifier: await broker.verifier("shadow"),
  });
  await raw.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: "hr-private/salaries.csv", Body: "x" }),
  );
});

afterAll(async () => {
  for (const client of [raw, s3, shadow]) client?.destroy();
  await server?.close();
});

beforeEach(() => {
  broker.audit.records.length = 0;
});

/** The error a guarded call rejected with, reduced to what callers compare. */
async function denial(call: Promise<unknown>): Promise<{ code: unknown; reason: unknown }> {
  const error = await call.then(
    () => expect.fail("the call was not denied"),
    (e: { code?: unknown; reason?: unknown }) => e,
  );
  return { code: error.code, reason: error.reason };
}

/** Runs a call that must be denied; returns its reason after checking nothing was sent. */
async function deniedWithoutSending(call: () => Promise<unknown>): Promise<unknown> {
  const before = server.seen.length;
  const { code, reason } = await denial(call());
  expect(code).toBe("ERR_PULSE_DENIED");
  expect(server.seen.slice(before)).toEqual([]);
  return reason;
}

async function exists(bucket: string, key: string): Promise<boolean> {
  return raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    (e: { name?: string }) => (e.name === "NotFound" ? false : Promise.reject(e)),
  );
}

const put = (Bucket: string, Key: string, Body: string | Uint8Array = "data") =>
  new PutObjectCommand({ Bucket, Key, Body });

describe("allowed calls reach s3rver and bytes round-trip exactly", () => {
  it("a 1 KiB object", async () => {
    const token = await broker.token();
    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7 + 3) % 256);
    await runWithToken(token, () => s3.send(put(BUCKET, "team-a/one-kib.bin", bytes)));
    const got = await runWithToken(token, () =>
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "team-a/one-kib.bin" })),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(Buffer.from(bytes));
  });

  it("a streamed multi-KiB body", async () => {
    const token = await broker.token();
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1000, 65 + (i % 26)));
    const whole = Buffer.concat(chunks);
    const Body = Readable.from(chunks);
    const command = new PutObjectCommand({
      Bucket: BUCKET,
      Key: "team-a/streamed.txt",
      Body,
      ContentLength: whole.length,
    });
    await runWithToken(token, () => s3.send(command));

    const got = await raw.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: "team-a/streamed.txt" }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(whole);
  });

  it("a multipart upload inside the grant", async () => {
    const token = await broker.token();
    const Key = "team-a/multipart.bin";
    const part = Buffer.alloc(5 * 1024 * 1024, 7);
    const uploaded = await runWithToken(token, async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
      const one = { Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: part };
      const { ETag } = await s3.send(new UploadPartCommand(one));
      const MultipartUpload = { Parts: [{ ETag, PartNumber: 1 }] };
      return s3.send(
        new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload }),
      );
    });
    expect(uploaded.$metadata.httpStatusCode).toBe(200);
    expect(await exists(BUCKET, Key)).toBe(true);
  });

  it("one audit record per call, naming the command and every request", async () => {
    const token = await broker.token();
    await runWithToken(token, () => s3.send(put(BUCKET, "team-a/audited.txt")));
    expect(broker.audit.records).toEqual([
      expect.objectContaining({
        outcome: "allow",
        operation: "PutObjectCommand",
        requests: [{ resource: "s3://acme-reports/team-a/audited.txt", action: "write" }],
      }),
    ]);
  });
});

describe("denials in enforce mode: typed error, reason code, nothing sent", () => {
  it("prefix-confusion: team-a-old/ is not team-a/", async () => {
    const token = await broker.token();
    const reason = await deniedWithoutSending(() =>
      runWithToken(token, () => s3.send(put(BUCKET, "team-a-old/x.csv"))),
    );
    expect(reason).toBe("out-of-scope");
    expect(await exists(BUCKET, "team-a-old/x.csv")).toBe(false);
  });

  it("prefix-confusion: bucket acme-reports-archive is not acme-reports", async () => {
    const token = await broker.token();
    const reason = await deniedWithoutSending(() =>
      runWithToken(token, () => s3.send(put(ARCHIVE, "team-a/x.csv"))),
    );
    expect(reason).toBe("out-of-scope");
    expect(await exists(ARCHIVE, "team-a/x.csv")).toBe(false);
  });

  it.each(["team-a/../team-b/x", "team-a/%2e%2e/team-b/x", "team-a/%2E%2E/team-b/x"])(
    "dot-segment-key %s is malformed",
    async (Key) => {
      const token = await broker.token();
      const reason = await deniedWithoutSending(() =>
        runWithToken(token, () => s3.send(put(BUCKET, Key))),
      );
      expect(reason).toBe("malformed");
    },
  );

  it("copy-from-forbidden-source: hr-private/salaries.csv into team-a/", async () => {
    const token = await broker.token();
    const copy = new CopyObjectCommand({
      Bucket: BUCKET,
      Key: "team-a/salaries.csv",
      CopySource: `${BUCKET}/hr-private/salaries.csv`,
    });
    const reason = await deniedWithoutSending(() => runWithToken(token, () => s3.send(copy)));
    expect(reason).toBe("out-of-scope");
    expect(await exists(BUCKET, "team-a/salaries.csv")).toBe(false);
    expect(broker.audit.records.at(-1)).toMatchObject({
      detail: expect.stringContaining("hr-private/salaries.csv"),
      requests: [
        { resource: "s3://acme-reports/hr-private/salaries.csv", action: "read" },
        { resource: "s3://acme-reports/team-a/salaries.csv", action: "write" },
      ],
    });
  });

  it("copy-source-traversal: an encoded ../ in CopySource is malformed", async () => {
    const token = await broker.token();
    const copy = new CopyObjectCommand({
      Bucket: BUCKET,
      Key: "team-a/salaries.csv",
      CopySource: `${BUCKET}/team-a/%2E%2E/hr-private/salaries.csv`,
    });
    const reason = await deniedWithoutSending(() => runWithToken(token, () => s3.send(copy)));
    expect(reason).toBe("malformed");
  });

  it("a copy inside the grant is allowed", async () => {
    const token = await broker.token();
    await raw.send(put(BUCKET, "team-a/source.csv", "copied bytes"));
    const copy = new CopyObjectCommand({
      Bucket: BUCKET,
      Key: "team-a/copied.csv",
      CopySource: `${BUCKET}/team-a/source.csv`,
    });
    await runWithToken(token, () => s3.send(copy));
    const got = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: "team-a/copied.csv" }));
    expect(await got.Body!.transformToString()).toBe("copied bytes");
  });

  it("list-without-prefix: ListObjectsV2 of the whole bucket is out-of-scope", async () => {
    const token = await broker.token();
    const list = new ListObjectsV2Command({ Bucket: BUCKET });
    expect(await deniedWithoutSending(() => runWithToken(token, () => s3.send(list)))).toBe(
      "out-of-scope",
    );
  });

  it("list-prefix-without-slash: Prefix team-a would also list team-a-old/", async () => {
    const token = await broker.token();
    const list = new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "team-a" });
    expect(await deniedWithoutSending(() => runWithToken(token, () => s3.send(list)))).toBe(
      "out-of-scope",
    );
  });

  it("a listing bound to the granted prefix is allowed", async () => {
    const token = await broker.token();
    await raw.send(put(BUCKET, "team-a/listed.csv"));
    const list = new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "team-a/" });
    const out = await runWithToken(token, () => s3.send(list));
    expect(out.Contents?.map((o) => o.Key)).toContain("team-a/listed.csv");
    expect(out.Contents?.every((o) => o.Key!.startsWith("team-a/"))).toBe(true);
  });

  it("delete-objects-one-key-out: nothing is deleted", async () => {
    const token = await broker.token();
    await raw.send(put(BUCKET, "team-a/keep-1.csv"));
    const Objects = [{ Key: "team-a/keep-1.csv" }, { Key: "hr-private/salaries.csv" }];
    const del = new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects } });
    const reason = await deniedWithoutSending(() => runWithToken(token, () => s3.send(del)));
    expect(reason).toBe("out-of-scope");
    expect(await exists(BUCKET, "team-a/keep-1.csv")).toBe(true);
    expect(await exists(BUCKET, "hr-private/salaries.csv")).toBe(true);
    expect(broker.audit.records).toHaveLength(1);
  });

  it.each([
    ["DeleteBucket", () => s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))],
    [
      "PutBucketPolicy",
      () => s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: "{}" })),
    ],
    ["HeadBucket", () => s3.send(new HeadBucketCommand({ Bucket: BUCKET }))],
  ])("unsupported-operation: %s", async (_name, send) => {
    const token = await broker.token({ cap: [{ res: "s3://acme-reports/*", act: ["admin"] }] });
    const reason = await deniedWithoutSending(() => runWithToken(token, send));
    expect(reason).toBe("unsupported-operation");
    expect(broker.audit.records.at(-1)).toMatchObject({
      outcome: "deny",
      reason: "unsupported-operation",
      blocked: true,
    });
  });

  it("expired-token: minted ten minutes ago for one minute", async () => {
    const token = await broker.token({ lifetimeSeconds: 60, now: () => Date.now() - 600_000 });
    const reason = await deniedWithoutSending(() =>
      runWithToken(token, () => s3.send(put(BUCKET, "team-a/late.csv"))),
    );
    expect(reason).toBe("expired");
  });

  it("revoked-token: denied on the next call after revocation", async () => {
    const jti = crypto.randomUUID();
    const token = await broker.token({ jti });
    await runWithToken(token, () => s3.send(put(BUCKET, "team-a/before-revocation.csv")));
    broker.revocations.add({ iss: ISSUER, jti });
    const reason = await deniedWithoutSending(() =>
      runWithToken(token, () => s3.send(put(BUCKET, "team-a/after-revocation.csv"))),
    );
    expect(reason).toBe("revoked");
  });

  it("no-token: a call outside any scope is malformed", async () => {
    expect(await deniedWithoutSending(() => s3.send(put(BUCKET, "team-a/x.csv")))).toBe(
      "malformed",
    );
  });

  it("context-cidr: the request scope's source address is outside the grant's range", async () => {
    const token = await broker.token({ ctx: { cidr: ["10.20.0.0/16"] } });
    const send = () => s3.send(put(BUCKET, "team-a/cidr.csv"));
    const reason = await deniedWithoutSending(() =>
      runInScope({ token, context: { sourceIp: "192.0.2.7" } }, send),
    );
    expect(reason).toBe("context-cidr");
    await runInScope({ token, context: { sourceIp: "10.20.1.5" } }, send);
    expect(await exists(BUCKET, "team-a/cidr.csv")).toBe(true);
  });
});

describe("shadow mode", () => {
  it("shadow-runs-the-call: the would-be denial is audited with blocked false", async () => {
    const token = await broker.token();
    await runWithToken(token, () => shadow.send(put(BUCKET, "team-a-old/shadowed.csv")));
    expect(await exists(BUCKET, "team-a-old/shadowed.csv")).toBe(true);
    expect(broker.audit.records).toEqual([
      expect.objectContaining({
        outcome: "deny",
        reason: "out-of-scope",
        mode: "shadow",
        blocked: false,
        operation: "PutObjectCommand",
      }),
    ]);
  });

  it("an unsupported command runs too, and is audited", async () => {
    const token = await broker.token();
    await runWithToken(token, () => shadow.send(new HeadBucketCommand({ Bucket: BUCKET })));
    expect(broker.audit.records).toEqual([
      expect.objectContaining({ reason: "unsupported-operation", blocked: false }),
    ]);
  });
});

describe("input-mutated-after-check", () => {
  // The caller owns the input object; whatever it holds when the SDK serialises must be what
  // was checked, or an unchecked key reaches the server.
  it("a Key getter that changes after its first read cannot smuggle a key", async () => {
    const token = await broker.token();
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: "team-a/ok.txt", Body: "ok" }));
    let reads = 0;
    const input = {
      Bucket: BUCKET,
      get Key() {
        reads += 1;
        return reads === 1 ? "team-a/ok.txt" : "hr-private/salaries.csv";
      },
    };
    const out = await runWithToken(token, () => s3.send(new GetObjectCommand(input)));
    expect(await out.Body?.transformToString()).toBe("ok");
    expect(reads).toBe(1);
  });

  it("a DeleteObjects entry changed after send() deletes only what was checked", async () => {
    const token = await broker.token();
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: "team-a/gone.txt", Body: "x" }));
    const objects = [{ Key: "team-a/gone.txt" }];
    const pending = runWithToken(token, () =>
      s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: objects } })),
    );
    objects[0]!.Key = "hr-private/salaries.csv";
    await pending;
    expect(await exists(BUCKET, "hr-private/salaries.csv")).toBe(true);
    expect(await exists(BUCKET, "team-a/gone.txt")).toBe(false);
  });
});
