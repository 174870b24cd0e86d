import { describe, expect, it } from "vitest";
import { parseStoredRevocation } from "./revocation-message.js";

describe("parseStoredRevocation", () => {
  it("reads the three kinds", () => {
    expect(parseStoredRevocation({ cursor: "1", revocation: { iss: "b", jti: "j" } })).toEqual({
      cursor: "1",
      revocation: { iss: "b", jti: "j" },
    });
    const sub = { cursor: "2", revocation: { iss: "b", sub: "p", issuedBefore: 10 } };
    expect(parseStoredRevocation(sub)?.revocation).toEqual(sub.revocation);
    const grant = { cursor: "3", revocation: { iss: "b", grantId: "g", issuedBefore: 10 } };
    expect(parseStoredRevocation(grant)?.revocation).toEqual(grant.revocation);
  });

  it.each([
    null,
    "x",
    { cursor: 1, revocation: { iss: "b", jti: "j" } },
    { cursor: "-1", revocation: { iss: "b", jti: "j" } },
    { cursor: "1", revocation: { jti: "j" } },
    { cursor: "1", revocation: { iss: "b", sub: "p" } },
    { cursor: "1", revocation: { iss: "b", grantId: "g", issuedBefore: "10" } },
    { cursor: "1", revocation: { iss: "b", jti: "" } },
  ])("malformed-revocation-message is ignored: %j", (value) => {
    expect(parseStoredRevocation(value)).toBeUndefined();
  });
});
