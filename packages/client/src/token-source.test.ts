import { describe, expect, it } from "vitest";
import { createTokenSource } from "./token-source.js";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | "network-error";

/** A scripted broker: answers each call with the next reply and records what it was asked. */
function scripted(replies: Reply[]) {
  const calls: { authorization: string; body: any }[] = [];
  let n = 0;
  const fetchFn = (async (_url: URL, init: RequestInit) => {
    calls.push({
      authorization: (init.headers as Record<string, string>).authorization!,
      body: JSON.parse(String(init.body)),
    });
    const reply = replies[Math.min(n++, replies.length - 1)]!;
    if (reply === "network-error") throw new TypeError("fetch failed");
    await new Promise((r) => setTimeout(r, 5));
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status,
      headers: { "content-type": "application/json", ...reply.headers },
    });
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}

const ok = (token: string, expiresIn = 100): Reply => ({
  status: 200,
  body: { token, expiresIn, jti: token, grantId: "g" },
});

function source(replies: Reply[], clock = { t: 0 }) {
  const broker = scripted(replies);
  const tokens = createTokenSource({
    broker: "http://127.0.0.1:1/",
    identity: () => "id-jwt",
    fetch: broker.fetchFn,
    now: () => clock.t,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
  });
  return { tokens, calls: broker.calls, clock };
}

const read = { resource: "s3://acme/a/x", action: "read" } as const;

describe("createTokenSource", () => {
  it("asks the broker with the identity, the scheme's audience and the request", async () => {
    const { tokens, calls } = source([ok("t1")]);
    expect(await tokens.getToken(read)).toBe("t1");
    expect(calls[0]).toEqual({
      authorization: "Bearer id-jwt",
      body: { audience: "s3", requests: [{ resource: "s3://acme/a/x", action: "read" }] },
    });
  });

  it("caches per scope and merges concurrent requests for one scope (single flight)", async () => {
    const { tokens, calls } = source([ok("t1"), ok("t2"), ok("t3")]);
    const same = await Promise.all([
      tokens.getToken(read),
      tokens.getToken(read),
      tokens.getToken(read),
    ]);
    expect(same).toEqual(["t1", "t1", "t1"]);
    expect(await tokens.getToken({ resource: "s3://acme/a/x", action: "list" })).toBe("t2");
    expect(await tokens.getToken(read)).toBe("t1");
    expect(calls).toHaveLength(2);
  });

  it("refreshes once 80 % of the lifetime has passed, not before", async () => {
    const { tokens, clock } = source([ok("t1", 100), ok("t2", 100)]);
    expect(await tokens.getToken(read)).toBe("t1");
    clock.t = 79_000;
    expect(await tokens.getToken(read)).toBe("t1");
    clock.t = 80_000;
    expect(await tokens.getToken(read)).toBe("t2");
  });

  it("retries transient failures (network, 503, 429) and then succeeds", async () => {
    const { tokens, calls } = source(["network-error", { status: 503 }, ok("t1")]);
    expect(await tokens.getToken(read)).toBe("t1");
    expect(calls).toHaveLength(3);
  });

  it("broker-down-cached-token: cached until expiry, then a typed failure", async () => {
    const { tokens, clock } = source([ok("t1", 100), "network-error"]);
    await tokens.getToken(read);
    clock.t = 90_000;
    expect(await tokens.getToken(read)).toBe("t1");
    clock.t = 99_500;
    await expect(tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_BROKER_UNAVAILABLE",
    });
  });

  it("a denial is ERR_PULSE_TOKEN_DENIED with the broker's reasons, not retried", async () => {
    const denied: Reply = {
      status: 403,
      body: { reasons: [{ code: "context-cidr", detail: "x" }] },
    };
    const { tokens, calls } = source([denied, ok("t1")]);
    await expect(tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_TOKEN_DENIED",
      reasons: [{ code: "context-cidr", detail: "x" }],
    });
    expect(calls).toHaveLength(1);
  });

  it("surfaces step-up as ERR_PULSE_STEP_UP_REQUIRED with the challenge", async () => {
    const challenge = 'Bearer error="insufficient_user_authentication", error_description="x"';
    const { tokens } = source([
      {
        status: 401,
        body: { grantId: "g1", reasons: [] },
        headers: { "www-authenticate": challenge },
      },
    ]);
    await expect(tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_STEP_UP_REQUIRED",
      grantId: "g1",
      challenge,
    });
  });

  it("a denial on refresh drops the cached token", async () => {
    const { tokens, clock } = source([
      ok("t1", 100),
      { status: 403, body: { reasons: [] } },
      ok("t3"),
    ]);
    await tokens.getToken(read);
    clock.t = 85_000;
    await expect(tokens.getToken(read)).rejects.toMatchObject({ code: "ERR_PULSE_TOKEN_DENIED" });
    expect(await tokens.getToken(read)).toBe("t3");
  });

  it("identity rejected is ERR_PULSE_IDENTITY_REJECTED; 200 without token is transient", async () => {
    const rejected = source([{ status: 401, body: { detail: "bad" } }]);
    await expect(rejected.tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_IDENTITY_REJECTED",
    });
    const empty = source([{ status: 200, body: { token: 5 } }]);
    await expect(empty.tokens.getToken(read)).rejects.toMatchObject({
      code: "ERR_PULSE_BROKER_UNAVAILABLE",
    });
    expect(empty.calls).toHaveLength(3);
  });

  it("refuses bad options with ERR_PULSE_CLIENT_OPTIONS", () => {
    expect(() => createTokenSource({ broker: "not a url", identity: "x" })).toThrow(
      expect.objectContaining({ code: "ERR_PULSE_CLIENT_OPTIONS" }),
    );
    expect(() =>
      createTokenSource({ broker: "http://127.0.0.1/", identity: "x", refreshAtRatio: 2 }),
    ).toThrow(expect.objectContaining({ code: "ERR_PULSE_CLIENT_OPTIONS" }));
  });

  it("is a TokenProvider: one token covers every request of an operation", async () => {
    const { tokens, calls } = source([ok("t1")]);
    const requests = [read, { resource: "s3://acme/b/y", action: "write" as const }];
    expect(await tokens.provider({ audience: "s3", requests })).toBe("t1");
    expect(await tokens.provider({ audience: "s3", requests: [...requests].reverse() })).toBe("t1");
    expect(calls[0]!.body.requests).toHaveLength(2);
  });
});
