import { describe, expect, it } from "vitest";
import type { BrokerOptions } from "./broker.js";
import { createBroker } from "./broker.js";
import { grant, testPolicy } from "./testing/policy.js";

const base: BrokerOptions = {
  issuer: "https://broker.test",
  policy: testPolicy(grant("g", "svc:a", 'resources ["s3://acme/a/*"]\n  actions [read]')),
  identity: {},
};

function refusal(options: Partial<BrokerOptions>): unknown {
  try {
    createBroker({ ...base, ...options });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("trusted-proxies-unvalidated", () => {
  it.each([
    ["127.0.0.1/8", /"127\.0\.0\.1\/8" has host bits set/],
    ["10.1.0.0/8", /"10\.1\.0\.0\/8" has host bits set/],
    ["fd00::1/8", /"fd00::1\/8" has host bits set/],
    ["127.0.0.1", /"127\.0\.0\.1" is an address, not a range/],
    ["localhost", /"localhost" is not a strict CIDR range/],
    ["::ffff:127.0.0.1/128", /is not a strict CIDR range/],
    ["010.0.0.0/8", /is not a strict CIDR range/],
    ["10.0.0.0/33", /is not a strict CIDR range/],
  ])("refuses %j at creation with ERR_PULSE_BROKER_OPTIONS naming it", (entry, message) => {
    const error = refusal({ trustedProxies: ["10.0.0.0/8", entry] });
    expect(error).toMatchObject({ code: "ERR_PULSE_BROKER_OPTIONS" });
    expect((error as Error).message).toMatch(message);
  });

  it.each([["127.0.0.0/8"], ["127.0.0.1/32"], ["0.0.0.0/0"], ["fd00::/8"], ["::1/128"]])(
    "accepts the range %j",
    (entry) => {
      expect(refusal({ trustedProxies: [entry] })).toBeUndefined();
    },
  );
});
