// The middleware with real Express and Fastify servers on 127.0.0.1: a handler calls a guard
// that has no token of its own, so only the token bound into the request scope can allow it.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express from "express";
import Fastify from "fastify";
import type { KeySet, SigningKey } from "@pulse/core";
import { createVerifier, exportJwks, generateSigningKey, mint, noRevocation } from "@pulse/core";
import type { Verifier } from "@pulse/core";
import { authorize } from "@pulse/core/scope";
import { pulseFastifyHook, pulseMiddleware } from "./middleware.js";

const read = { resource: "s3://acme/team-a/r.csv", action: "read" } as const;
let key: SigningKey;
let verifier: Verifier;
let token: string;

async function handler(): Promise<{ status: number; body: string }> {
  try {
    const decision = await authorize({ verifier }, [read]);
    return { status: 200, body: decision.outcome };
  } catch (error) {
    return { status: 403, body: (error as { reason?: string }).reason ?? "error" };
  }
}

beforeAll(async () => {
  key = await generateSigningKey();
  verifier = await createVerifier({
    keys: exportJwks([key]),
    issuer: "https://broker.test",
    audience: "s3",
    revocation: noRevocation(),
  });
  token = await mint(
    {
      iss: "https://broker.test",
      sub: "svc:app",
      aud: "s3",
      pcl: "service",
      cap: [{ res: "s3://acme/team-a/*", act: ["read"] }],
      ctx: { cidr: ["127.0.0.0/8"] },
      jus: { ref: "T-1", txt: "test" },
      grt: { id: "g", ver: "v" },
      lifetimeSeconds: 60,
    },
    key,
  );
});

async function call(base: string, headers: Record<string, string>) {
  const res = await fetch(`${base}/x`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: "{}",
  });
  return { status: res.status, body: await res.text() };
}

describe("pulseMiddleware (Express)", () => {
  let server: ReturnType<ReturnType<typeof express>["listen"]>;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use(pulseMiddleware());
    app.post("/x", async (_req, res) => {
      const r = await handler();
      res.status(r.status).send(r.body);
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("binds the request's token and socket address into the scope", async () => {
    expect(await call(base, { "x-pulse-token": token })).toEqual({ status: 200, body: "allow" });
  });

  it("no-token-in-scope: a request without a token is denied `malformed`", async () => {
    expect(await call(base, {})).toEqual({ status: 403, body: "malformed" });
  });
});

describe("pulseFastifyHook (Fastify)", () => {
  const app = Fastify();
  let base: string;
  beforeAll(async () => {
    app.addHook("preHandler", pulseFastifyHook());
    app.post("/x", async (_req, reply) => {
      const r = await handler();
      return reply.code(r.status).send(r.body);
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => app.close());

  it("binds the request's token into the scope that the handler sees", async () => {
    expect(await call(base, { "x-pulse-token": token })).toEqual({ status: 200, body: "allow" });
    expect(await call(base, { "x-pulse-token": "garbage" })).toEqual({
      status: 403,
      body: "malformed",
    });
  });

  it("uses the socket address: a context function can change it and the cidr denies", async () => {
    const other = Fastify();
    other.addHook("preHandler", pulseFastifyHook({ context: () => ({ sourceIp: "192.0.2.1" }) }));
    other.post("/x", async (_req, reply) => {
      const r = await handler();
      return reply.code(r.status).send(r.body);
    });
    const url = await other.listen({ host: "127.0.0.1", port: 0 });
    try {
      expect(await call(url, { "x-pulse-token": token })).toEqual({
        status: 403,
        body: "context-cidr",
      });
    } finally {
      await other.close();
    }
  });
});
