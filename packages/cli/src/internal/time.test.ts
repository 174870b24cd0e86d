import { describe, expect, it } from "vitest";
import { describeDuration, describeExpiry, isoTime } from "./time.js";

describe("times for people", () => {
  it("names the two largest units", () => {
    expect(describeDuration(0)).toBe("0 seconds");
    expect(describeDuration(1_000)).toBe("1 second");
    expect(describeDuration(252_000)).toBe("4 minutes 12 seconds");
    expect(describeDuration(3_900_000)).toBe("1 hour 5 minutes");
    expect(describeDuration(3_600_000)).toBe("1 hour");
    expect(describeDuration(-(2 * 86_400_000 + 7_200_000 + 61_000))).toBe("2 days 2 hours");
  });

  it("says whether a token expires or has expired", () => {
    const now = Date.UTC(2027, 0, 1, 12, 0, 0);
    expect(describeExpiry(now / 1000 + 90, now)).toBe("expires in 1 minute 30 seconds");
    expect(describeExpiry(now / 1000 - 3_600, now)).toBe("expired 1 hour ago");
    expect(isoTime(now / 1000)).toBe("2027-01-01T12:00:00.000Z");
  });
});
