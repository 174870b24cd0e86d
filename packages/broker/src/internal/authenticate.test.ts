import { describe, expect, it } from "vitest";
import { Authenticator } from "./authenticate.js";

describe("identity-issuer-without-audience", () => {
  it.each([undefined, "", [], [""]])(
    "an issuer with audience %j is refused at start",
    (audience) => {
      const issuers = [{ issuer: "https://idp.test", jwks: { keys: [] }, audience }];
      const build = () => new Authenticator({ issuers } as never);
      expect(build).toThrow(expect.objectContaining({ code: "ERR_PULSE_BROKER_OPTIONS" }));
    },
  );

  it("an issuer with an audience is accepted", () => {
    const issuers = [{ issuer: "https://idp.test", jwks: { keys: [] }, audience: "pulse-broker" }];
    expect(() => new Authenticator({ issuers })).not.toThrow();
  });
});
