// The S3 chapter: a real @aws-sdk/client-s3 client against s3rver on 127.0.0.1, guarded by
// @pulse/s3, with tokens minted from grants/s3.json.
import type { S3Client } from "@aws-sdk/client-s3";
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { AuditRecord, AuditSink, VerifierMode } from "@pulse/core";
import { createVerifier } from "@pulse/core";
import { runInScope } from "@pulse/core/scope";
import { withPulse } from "@pulse/s3";
import { mintInputFor, readGrantFile } from "../grant-file.js";
import { startLocalS3 } from "../local-s3.js";
import type { Chapter, StoryContext } from "../story.js";

const GRANTS = new URL("../../grants/s3.json", import.meta.url);
const BUCKET = "acme-reports";
const REPORT = "team-a/q1.csv";
const SALARIES = "hr-private/salaries.csv";
const CONFUSED = "team-a-old/q1.csv";
const LIFETIME_SECONDS = 300;

/** The reporting job runs inside the grant's range; a stolen token is used from elsewhere. */
const JOB_ADDRESS = "10.20.1.5";
const FOREIGN_ADDRESS = "203.0.113.9";

const s3uri = (key: string) => `s3://${BUCKET}/${key}`;

/** Passes every record on to the story's audit log and keeps the last one for the chapter. */
function keepLast(sink: AuditSink) {
  const seen: { last?: AuditRecord } = {};
  const tee: AuditSink = {
    write: (record) => {
      seen.last = record;
      return sink.write(record);
    },
  };
  return { tee, seen };
}

export const s3Chapter: Chapter = {
  title: "S3: @aws-sdk/client-s3 against s3rver on 127.0.0.1",
  summary: [
    "grant reporting-export (grants/s3.json): svc:reporting may read, write and list",
    "s3://acme-reports/team-a/* from 10.20.0.0/16; the client says it is at 10.20.1.5",
  ],

  async run(story: StoryContext) {
    const grants = await readGrantFile(GRANTS);
    const tokenFor = (options: { jti?: string; now?: () => number } = {}) => {
      const input = mintInputFor(grants, "reporting-export", "s3", LIFETIME_SECONDS);
      const mintOptions = options.now ? { now: options.now } : {};
      return story.mint(options.jti ? { ...input, jti: options.jti } : input, mintOptions);
    };

    const { tee, seen } = keepLast(story.audit);
    const verifier = (mode: VerifierMode) =>
      createVerifier({
        keys: story.jwks,
        issuer: story.issuer,
        audience: "s3",
        revocation: story.revocations,
        audit: tee,
        mode,
      });

    const local = await startLocalS3(story.workDir, [BUCKET]);
    const clients: S3Client[] = [];
    const client = () => {
      const c = local.client();
      clients.push(c);
      return c;
    };

    try {
      // The storage admin's own client, without PULSE, puts HR's file in place.
      const admin = client();
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: SALARIES, Body: "alice,1" }));

      const s3 = withPulse(client(), { verifier: await verifier("enforce") });
      const shadow = withPulse(client(), { verifier: await verifier("shadow") });
      await tellStory(story, { s3, shadow, tokenFor, lastAudit: () => seen.last });
    } finally {
      for (const c of clients) c.destroy();
      await local.close();
    }
  },
};

interface Cast {
  readonly s3: S3Client;
  readonly shadow: S3Client;
  tokenFor(options?: { jti?: string; now?: () => number }): Promise<string>;
  lastAudit(): AuditRecord | undefined;
}

async function tellStory(story: StoryContext, cast: Cast): Promise<void> {
  const { s3 } = cast;
  const token = await cast.tokenFor();
  const asJob = <T>(t: string, fn: () => Promise<T>) =>
    runInScope({ token: t, context: { sourceIp: JOB_ADDRESS } }, fn);
  const get = (key: string) => new GetObjectCommand({ Bucket: BUCKET, Key: key });
  const put = (key: string, body: string) =>
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body });

  const report = "region,revenue\nnorth,1200\nsouth,900\n";
  await story.attempt("upload inside the grant", "PutObject", s3uri(REPORT), () =>
    asJob(token, () => s3.send(put(REPORT, report))),
  );

  await story.attempt("download inside the grant", "GetObject", s3uri(REPORT), async () => {
    const out = await asJob(token, () => s3.send(get(REPORT)));
    const body = await out.Body!.transformToString();
    if (body !== report) throw new Error("the downloaded bytes differ from the upload");
  });

  await story.attempt("key outside the grant", "GetObject", s3uri(SALARIES), () =>
    asJob(token, () => s3.send(get(SALARIES))),
  );

  await story.attempt("prefix confusion", "PutObject", s3uri(CONFUSED), () =>
    asJob(token, () => s3.send(put(CONFUSED, report))),
  );

  const copy = new CopyObjectCommand({
    Bucket: BUCKET,
    Key: "team-a/salaries.csv",
    CopySource: `${BUCKET}/${SALARIES}`,
  });
  await story.attempt("copy from a forbidden source", "CopyObject", s3uri(SALARIES), () =>
    asJob(token, () => s3.send(copy)),
  );

  await story.attempt("address outside the CIDR", "GetObject", s3uri(REPORT), () =>
    runInScope({ token, context: { sourceIp: FOREIGN_ADDRESS } }, () => s3.send(get(REPORT))),
  );

  const anHourAgo = () => Date.now() - 3_600_000;
  const expired = await cast.tokenFor({ now: anHourAgo });
  await story.attempt("expired token", "GetObject", s3uri(REPORT), () =>
    asJob(expired, () => s3.send(get(REPORT))),
  );

  const jti = crypto.randomUUID();
  const revoked = await cast.tokenFor({ jti });
  story.revocations.add({ iss: story.issuer, jti });
  await story.attempt("revoked token", "GetObject", s3uri(REPORT), () =>
    asJob(revoked, () => s3.send(get(REPORT))),
  );

  await shadowStep(story, cast, () => asJob(token, () => cast.shadow.send(put(CONFUSED, report))));
}

// In shadow mode the call runs; what it would have been is in the decision's audit record.
async function shadowStep(story: StoryContext, cast: Cast, send: () => Promise<unknown>) {
  const step = "shadow: prefix confusion";
  const row = { step, operation: "PutObject", resource: s3uri(CONFUSED) };
  try {
    await send();
  } catch (error) {
    story.record({ ...row, outcome: "error", reason: String(error).slice(0, 80) });
    return;
  }

  const record = cast.lastAudit();
  if (record?.outcome === "deny" && !record.blocked) {
    story.record({ ...row, outcome: "shadow-deny", reason: record.reason ?? "" });
  } else {
    story.record({ ...row, outcome: "error", reason: "shadow mode reported no denial" });
  }
}
