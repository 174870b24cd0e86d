import { describe, expect, it } from "vitest";
import { mintInput, READ_X, setup } from "../test/forge.js";
import { mint } from "./index.js";
import { authorize, currentScope, runInScope, runWithToken } from "./scope.js";

const denied = async (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => ({ code: e.code, reason: e.reason }),
  );

describe("request scope and authorize", () => {
  it("uses the token bound to the request scope", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key);
    const decision = await runWithToken(token, () => authorize({ verifier }, [READ_X]));
    expect(decision.outcome).toBe("allow");
  });

  it("no-token-anywhere is a typed denial with reason malformed", async () => {
    const { verifier } = await setup();
    expect(await denied(authorize({ verifier }, [READ_X]))).toEqual({
      code: "ERR_PULSE_DENIED",
      reason: "malformed",
    });
  });

  it("falls back to the token provider and passes it the requests", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key);
    let asked: unknown;
    const provider = (need: unknown) => {
      asked = need;
      return token;
    };
    expect((await authorize({ verifier, token: provider }, [READ_X])).outcome).toBe("allow");
    expect(asked).toEqual({ audience: "s3", requests: [READ_X] });
  });

  it("a-failing-provider denies instead of throwing its own error", async () => {
    const { verifier } = await setup();
    const stepUp = Object.assign(new Error("step-up required"), { code: "ERR_BROKER_STEP_UP" });
    const token = () => Promise.reject(stepUp);
    expect(await denied(authorize({ verifier, token }, [READ_X]))).toEqual({
      code: "ERR_PULSE_DENIED",
      reason: "malformed",
    });
    const error = await authorize({ verifier, token }, [READ_X]).catch((e) => e);
    expect(error.cause).toBe(stepUp);
    expect(error.decision.requests).toEqual([READ_X]);
  });

  it("scope context wins over the adapter's context, per field", async () => {
    const { key, verifier } = await setup();
    const token = await mint({ ...mintInput, ctx: { cidr: ["10.20.0.0/16"] } }, key);
    const options = { verifier, context: { sourceIp: "192.0.2.1", flags: { a: true } } };
    expect(await denied(runWithToken(token, () => authorize(options, [READ_X])))).toMatchObject({
      reason: "context-cidr",
    });
    const scoped = runInScope({ token, context: { sourceIp: "10.20.1.5" } }, () =>
      authorize(options, [READ_X]),
    );
    expect((await scoped).outcome).toBe("allow");
  });

  it("concurrent scopes never see each other's token", async () => {
    const results = await Promise.all(
      ["a", "b", "c"].map((t) =>
        runWithToken(t, async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
          return currentScope()?.token;
        }),
      ),
    );
    expect(results).toEqual(["a", "b", "c"]);
  });

  it("shadow mode returns the denial without throwing", async () => {
    const { verifier, audit } = await setup();
    const decision = await authorize({ verifier, mode: "shadow" }, [READ_X]);
    expect(decision).toMatchObject({ outcome: "deny", blocked: false, mode: "shadow" });
    expect(audit.records).toHaveLength(1);
  });

  it("step-up in enforce mode is a typed error carrying the outcome", async () => {
    const { key, verifier } = await setup();
    const window = { tz: "UTC", days: ["sun"], start: "00:00", end: "00:01" } as const;
    const token = await mint({ ...mintInput, ctx: { window, stepUp: ["window"] } }, key);
    const error = await runWithToken(token, () => authorize({ verifier }, [READ_X])).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      code: "ERR_PULSE_DENIED",
      outcome: "step-up",
      reason: "context-window",
    });
  });
});
