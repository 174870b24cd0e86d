import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foreignMount, parseSecretArn } from "./arn.js";

const segment = fc
  .string({ unit: fc.constantFrom(..."abcXYZ019_+=@"), minLength: 1, maxLength: 6 })
  .filter((s) => !/-[A-Za-z0-9]{6}$/.test(s));
const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
const account = fc.stringMatching(/^\d{12}$/);
const suffix = fc.stringMatching(/^[A-Za-z0-9]{6}$/);
const arn = (acct: string, last: string, region = "us-east-1") =>
  `arn:aws:secretsmanager:${region}:${acct}:secret:${last}`;

describe("secret ARNs", () => {
  it("a complete and a partial ARN of one secret resolve to the same name", () => {
    fc.assert(
      fc.property(name, account, suffix, (n, acct, sfx) => {
        const complete = parseSecretArn(arn(acct, `${n}-${sfx}`));
        const partial = parseSecretArn(arn(acct, n));
        expect(complete).toMatchObject({ name: n, complete: true, account: acct });
        expect(partial).toMatchObject({ name: n, complete: false, account: acct });
      }),
    );
  });

  it("ARNs of different accounts never share a mount", () => {
    fc.assert(
      fc.property(name, account, account, (n, a, b) => {
        fc.pre(a !== b);
        expect(foreignMount(parseSecretArn(arn(a, n)))).not.toBe(
          foreignMount(parseSecretArn(arn(b, n))),
        );
      }),
    );
  });

  it("refuses ARNs of other services, bad accounts, and dot segments in the name", () => {
    for (const bad of [
      "arn:aws:s3:::bucket/key",
      "arn:aws:secretsmanager:us-east-1:12345:secret:app/db",
      "arn:aws:secretsmanager:us-east-1:123456789012:parameter:app/db",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/../db",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:a:b",
    ]) {
      expect(() => parseSecretArn(bad)).toThrow(
        expect.objectContaining({ code: "ERR_PULSE_VAULT_INVALID_PATH" }),
      );
    }
  });
});
