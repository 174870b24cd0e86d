import { describe, expect, it } from "vitest";
import { sourceAddress } from "./client-address.js";

const proxies = ["10.0.0.0/8", "fd00::/8"];

describe("sourceAddress", () => {
  it("uses the socket address when no proxy is trusted, whatever the header says", () => {
    expect(sourceAddress("192.0.2.5", "10.1.1.1", [])).toEqual({ ok: true, ip: "192.0.2.5" });
  });

  it("ignores the header when the peer is not a trusted proxy", () => {
    expect(sourceAddress("192.0.2.5", "10.1.1.1", proxies)).toEqual({ ok: true, ip: "192.0.2.5" });
  });

  it("reads the header right to left from a trusted proxy, skipping trusted hops", () => {
    const header = "198.51.100.7, 203.0.113.9, 10.2.2.2";
    expect(sourceAddress("10.0.0.1", header, proxies)).toEqual({ ok: true, ip: "203.0.113.9" });
  });

  it("takes the leftmost hop when every hop is a trusted proxy", () => {
    expect(sourceAddress("10.0.0.1", "10.9.9.9, 10.2.2.2", proxies)).toEqual({
      ok: true,
      ip: "10.9.9.9",
    });
  });

  it("reads IPv4-mapped IPv6 peers as IPv4", () => {
    expect(sourceAddress("::ffff:10.0.0.1", "192.0.2.1", proxies)).toEqual({
      ok: true,
      ip: "192.0.2.1",
    });
  });

  it.each(["010.1.2.3", "0x0a.1.2.3", "10.1.261", "", "1.2.3.4:80", "unknown", "fe80::1%eth0"])(
    "forwarded-for-not-strict: refuses the header when a hop is %j",
    (hop) => {
      expect(sourceAddress("10.0.0.1", `${hop}`, proxies)).toEqual({ ok: false });
      expect(sourceAddress("10.0.0.1", `192.0.2.1, ${hop}`, proxies)).toEqual({ ok: false });
    },
  );

  it("refuses an unreadable socket address", () => {
    expect(sourceAddress(undefined, undefined, [])).toEqual({ ok: false });
  });
});
