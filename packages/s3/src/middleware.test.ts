import { Readable } from "node:stream";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runWithToken } from "@pulse/core/scope";
import { describe, expect, it } from "vitest";
import { testBroker } from "../test/tokens.js";
import {
  getPulseS3Plugin,
  pulseS3Middleware,
  pulseS3MiddlewareOptions,
  withPulse,
} from "./index.js";

/** A real S3Client whose transport records requests instead of sending them. */
function recordingClient() {
  const sent: string[] = [];
  const client = new S3Client({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: {
      handle: async (request: { method: string; path: string }) => {
        sent.push(`${request.method} ${request.path}`);
        return { response: { statusCode: 200, headers: {}, body: Readable.from([]) } };
      },
    },
  });
  return { client, sent };
}

const put = (Key: string) => new PutObjectCommand({ Bucket: "acme-reports", Key, Body: "x" });

describe("pulseS3Middleware", () => {
  it("follows the SDK's shape: options named after the function, initialize, high", () => {
    expect(pulseS3MiddlewareOptions).toEqual({
      name: pulseS3Middleware.name,
      step: "initialize",
      tags: ["PULSE", "AUTHORIZATION"],
      priority: "high",
      override: false,
    });
  });

  it("sits outermost: ahead of region redirects, retries, checksums and signing", async () => {
    const { client } = recordingClient();
    withPulse(client, { verifier: await (await testBroker()).verifier() });
    const command = put("team-a/x");
    command.resolveMiddleware(client.middlewareStack, client.config, {});
    const stack = client.middlewareStack.concat(command.middlewareStack).identify();
    expect(stack[0]).toBe("pulseS3Middleware - initialize");
    expect(stack).toContain("regionRedirectMiddleware - initialize");
    expect(stack.indexOf("retryMiddleware - finalizeRequest")).toBeGreaterThan(0);
  });

  it("missing-verifier throws ERR_PULSE_INVALID_OPTIONS when the plugin is built", () => {
    expect(() => getPulseS3Plugin({} as never)).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_INVALID_OPTIONS" }),
    );
  });

  it("unknown-mode throws ERR_PULSE_INVALID_OPTIONS", async () => {
    const verifier = await (await testBroker()).verifier();
    expect(() => getPulseS3Plugin({ verifier, mode: "audit" as never })).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_INVALID_OPTIONS" }),
    );
  });

  it("double-plugin: a second plugin cannot quietly replace the first", async () => {
    const verifier = await (await testBroker()).verifier();
    const { client } = recordingClient();
    withPulse(client, { verifier });
    expect(() => withPulse(client, { verifier, mode: "off" })).toThrow(/Duplicate/);
  });

  it("denies before the transport is reached", async () => {
    const broker = await testBroker();
    const { client, sent } = recordingClient();
    withPulse(client, { verifier: await broker.verifier() });
    const token = await broker.token();
    const error = await runWithToken(token, () => client.send(put("hr/x"))).catch((e) => e);
    expect(error).toMatchObject({ code: "ERR_PULSE_DENIED", reason: "out-of-scope" });
    expect(sent).toEqual([]);
    await runWithToken(token, () => client.send(put("team-a/x")));
    expect(sent).toEqual(["PUT /acme-reports/team-a/x"]);
  });

  it("asks the token provider, with the requests, when the scope has no token", async () => {
    const broker = await testBroker();
    const token = await broker.token();
    const asked: unknown[] = [];
    const { client, sent } = recordingClient();
    withPulse(client, {
      verifier: await broker.verifier(),
      token: (need) => {
        asked.push(need);
        return token;
      },
    });
    await client.send(put("team-a/provided"));
    expect(asked).toEqual([
      {
        audience: "s3",
        requests: [{ resource: "s3://acme-reports/team-a/provided", action: "write" }],
      },
    ]);
    expect(sent).toHaveLength(1);
  });

  it("mode off checks and audits nothing", async () => {
    const broker = await testBroker();
    const { client, sent } = recordingClient();
    withPulse(client, { verifier: await broker.verifier(), mode: "off" });
    await client.send(put("anything/at/all"));
    expect(sent).toHaveLength(1);
    expect(broker.audit.records).toEqual([]);
  });
});
