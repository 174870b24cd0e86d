import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mintInput, READ_X, setup } from "../test/forge.js";
import { DENY_REASONS, mint } from "./index.js";

describe("verifier never throws and never allows what it cannot read", () => {
  it("random text is always a deny with a known reason", async () => {
    const { verifier } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (text) => {
        const decision = await verifier.check(text, READ_X);
        return decision.outcome === "deny" && DENY_REASONS.includes(decision.reason);
      }),
      { numRuns: 300 },
    );
  });

  it("any one-character change to a valid token is denied, even a same-bytes one", async () => {
    const { key, verifier } = await setup();
    const token = await mint(mintInput, key);
    expect((await verifier.check(token, READ_X)).outcome).toBe("allow");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...alphabet),
        async (at, char) => {
          const mutated = token.slice(0, at) + char + token.slice(at + 1);
          if (mutated === token) return true;
          const decision = await verifier.check(mutated, READ_X);
          return decision.outcome === "deny" && DENY_REASONS.includes(decision.reason);
        },
      ),
      { numRuns: 400 },
    );
  });
});
