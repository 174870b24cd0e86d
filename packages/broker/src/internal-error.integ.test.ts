// A failure inside the broker (the policy evaluator throws) is a bare 500 with no stack trace,
// and the error goes to the injected logger instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "./broker.js";
import { createBroker } from "./broker.js";
import type { TestIdentityProvider } from "./testing/identity-provider.js";
import { testIdentityProvider } from "./testing/identity-provider.js";

let idp: TestIdentityProvider;
let broker: Broker;
const errors: Array<Record<string, unknown> | undefined> = [];

beforeAll(async () => {
  idp = await testIdentityProvider();
  broker = createBroker({
    issuer: "https://broker.test",
    identity: { issuers: [idp.issuer] },
    logger: { error: (_m, fields) => void errors.push(fields) },
    policy: {
      set: { version: "v" },
      evaluate: () => {
        throw new Error("evaluator exploded at /secret/path.ts:12");
      },
    },
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(() => broker?.close());

describe("internal-error-no-stack", () => {
  it("answers 500 { error: internal } and logs the cause", async () => {
    const res = await fetch(`${broker.url}/v1/tokens`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await idp.assertion("svc:a")}`,
      },
      body: JSON.stringify({
        audience: "s3",
        requests: [{ resource: "s3://a/b", action: "read" }],
      }),
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: "internal",
      detail: "the broker could not handle the request",
    });
    expect(text).not.toMatch(/secret|exploded|\.ts:/);
    expect(String(errors.at(-1)?.error)).toMatch(/exploded/);
  });

  it("a request to an unknown route is a JSON 404", async () => {
    const res = await fetch(`${broker.url}/v1/nothing`);
    expect(res.status).toBe(404);
  });
});
