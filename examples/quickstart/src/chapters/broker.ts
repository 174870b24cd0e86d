// The control-plane chapter: the real broker runs in this process and issues tokens from the
// reviewed policy in policies/; the S3 client gets them through @pulse/client's token source, and
// the verifier trusts only what the broker publishes (its JWKS and its revocations).
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { S3Client } from "@aws-sdk/client-s3";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Broker } from "@pulse/broker";
import { createBroker } from "@pulse/broker";
import type { RevocationFeed } from "@pulse/client";
import { createRevocationFeed, createTokenSource } from "@pulse/client";
import type { Logger } from "@pulse/core";
import { createVerifier } from "@pulse/core";
import { evaluate, loadPolicy } from "@pulse/policy";
import { withPulse } from "@pulse/s3";
import { startLocalS3 } from "../local-s3.js";
import type { Chapter, StoryContext } from "../story.js";

/** The directory of the chapter's policy set. */
export const POLICY_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));
// The shipped grant expires years from now so that a clone keeps working; the language's default
// horizon (366 days) would refuse it. Real policy sets should keep the default.
export const POLICY_HORIZON_DAYS = 5 * 366;

const BUCKET = "acme-reports";
const REPORT = "team-a/q1.csv";
const NEXT_REPORT = "team-a/q2.csv";
const SALARIES = "hr-private/salaries.csv";
const GRANT = "reporting-read";
const FLAG = "reports-export";
const JOB = { class: "service", id: "svc:reporting" } as const;
const ADMIN = { class: "service", id: "svc:security" } as const;
const LOOPBACK = "127.0.0.1";

/** How long the chapter waits for the feed to pull a revocation before calling it a failure. */
const FEED_WAIT_MS = 5_000;

const s3uri = (key: string) => `s3://${BUCKET}/${key}`;
const devKey = () => randomBytes(24).toString("base64url");

/**
 * The demo prints tables only: errors the libraries report are kept and shown as rows at the end;
 * the rest (the broker's warning that development keys are on, among it) is dropped.
 */
function quietLogger() {
  const errors: string[] = [];
  const logger: Logger = { error: (message) => errors.push(message) };
  return { logger, errors };
}

/**
 * Counts the revocations the feed has applied, so a step waits for the feed itself instead of
 * guessing a delay. A count, not a one-shot callback: a poll that lands before anyone waits is
 * not missed.
 */
function feedCounter() {
  let applied = 0;
  let waiter: { count: number; wake: () => void } | undefined;
  return {
    onRevocations(count: number) {
      applied += count;
      if (waiter !== undefined && applied >= waiter.count) waiter.wake();
    },
    until(count: number): Promise<void> {
      if (applied >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the feed did not pull it")), FEED_WAIT_MS);
        waiter = {
          count,
          wake: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
  };
}

export const brokerChapter: Chapter = {
  title: "Control plane: policy → broker → token source → verifier",
  summary: [
    "grant reporting-read (policies/reporting.pulse): svc:reporting may read",
    "s3://acme-reports/team-a/* from 127.0.0.0/8 while the flag reports-export is true;",
    "the app asks the in-process broker for tokens; revocations reach the verifier by polling",
  ],

  async run(story: StoryContext) {
    const policy = await loadPolicy(POLICY_DIR, { horizonDays: POLICY_HORIZON_DAYS });
    const { logger, errors } = quietLogger();
    // One flag service answers the broker (before it issues) and the verifier (at every use).
    const flags: Record<string, boolean> = { [FLAG]: true };
    // Development keys are made per run: nothing a reader could copy into a real deployment.
    const secrets = { job: devKey(), admin: devKey() };

    const local = await startLocalS3(story.workDir, [BUCKET]);
    const clients: S3Client[] = [];
    let broker: Broker | undefined;
    let feed: RevocationFeed | undefined;
    try {
      broker = createBroker({
        issuer: story.issuer,
        policy: { set: policy, evaluate },
        identity: {
          development: {
            enabled: true,
            identities: [
              { principal: JOB, secret: secrets.job },
              { principal: ADMIN, secret: secrets.admin },
            ],
          },
        },
        flags: () => ({ ...flags }),
        revocationAdmins: [{ issuer: "development", principalClass: ADMIN.class, id: ADMIN.id }],
        logger,
      });
      const url = await broker.listen({ host: LOOPBACK, port: 0 });

      const pulled = feedCounter();
      feed = createRevocationFeed({
        broker: url,
        maxStalenessMs: 5_000,
        // Polling only, and often, so the revocation step takes a fraction of a second.
        pollIntervalMs: 100,
        onRevocations: pulled.onRevocations,
        logger,
      });
      await feed.start();

      const verifier = await createVerifier({
        keys: { url: new URL(".well-known/jwks.json", `${url}/`) },
        issuer: story.issuer,
        audience: "s3",
        revocation: feed,
        audit: story.audit,
        // Keeps these decisions apart from the S3 chapter's in the audit log.
        name: "s3-brokered",
        logger,
      });
      const tokens = createTokenSource({
        broker: url,
        identity: { developmentKey: secrets.job },
        logger,
      });

      const admin = local.client();
      clients.push(admin);
      for (const key of [REPORT, NEXT_REPORT, SALARIES]) {
        await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "a,b\n1,2\n" }));
      }

      const s3 = withPulse(local.client(), {
        verifier,
        token: tokens.provider,
        // The job calls from this machine; the flag service is asked afresh at every use.
        context: () => ({ sourceIp: LOOPBACK, flags: { ...flags } }),
      });
      clients.push(s3);

      const revoke = async () => {
        await revokeGrant(url, secrets.admin);
        await pulled.until(1);
      };
      await tellStory(story, { s3, flags, revoke });
    } finally {
      for (const c of clients) c.destroy();
      await feed?.close();
      await broker?.close();
      await local.close();
    }

    for (const message of errors) {
      story.record({
        step: "logged error",
        operation: "-",
        resource: "-",
        outcome: "error",
        reason: message,
      });
    }
  },
};

/** `POST /v1/revocations` as the security admin; any answer but 201 fails the step. */
async function revokeGrant(brokerUrl: string, adminSecret: string): Promise<void> {
  const response = await fetch(new URL("v1/revocations", `${brokerUrl}/`), {
    method: "POST",
    headers: {
      authorization: `PulseDevKey ${adminSecret}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ grant: GRANT, reason: "demo: the job's host is being rebuilt" }),
  });
  await response.body?.cancel();
  if (response.status !== 201) throw new Error(`the broker answered ${response.status}`);
}

interface Cast {
  readonly s3: S3Client;
  readonly flags: Record<string, boolean>;
  revoke(): Promise<void>;
}

async function tellStory(story: StoryContext, cast: Cast): Promise<void> {
  // The application only calls s3.send: the guard asks the token source for each operation.
  const read = (key: string) => async () => {
    const out = await cast.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    await out.Body?.transformToString();
  };

  await story.attempt("read inside the grant", "GetObject", s3uri(REPORT), read(REPORT));

  // The broker refuses to issue; the guard's denial carries the broker's answer as its cause.
  await story.attempt("key outside the grant", "GetObject", s3uri(SALARIES), read(SALARIES));

  cast.flags[FLAG] = false;
  // The cached token still names the flag, and the verifier re-checks it at every use.
  await story.attempt("flag off, cached token", "GetObject", s3uri(REPORT), read(REPORT));
  // A key not asked for before needs a new token, and the broker sees the flag itself.
  await story.attempt("flag off, new token", "GetObject", s3uri(NEXT_REPORT), read(NEXT_REPORT));

  cast.flags[FLAG] = true;
  await story.attempt("flag on again", "GetObject", s3uri(REPORT), read(REPORT));

  await story.attempt("admin revokes the grant", "POST /v1/revocations", `grant ${GRANT}`, () =>
    cast.revoke(),
  );
  await story.attempt("read once the feed has it", "GetObject", s3uri(REPORT), read(REPORT));
}
