import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";

let store: BrokerStore;
beforeAll(async () => {
  store = await openStore(process.env.PULSE_PG_URL ? { url: process.env.PULSE_PG_URL } : {});
});
afterAll(() => store?.close());

describe("BrokerStore", () => {
  it("cursor-text-order: pages follow the numeric cursor order past 9, 99, …", async () => {
    const first = await store.addRevocation({ iss: "https://order.test", jti: "o-0" });
    for (let i = 1; i < 12; i++)
      await store.addRevocation({ iss: "https://order.test", jti: `o-${i}` });

    const since = String(BigInt(first.cursor) - 1n);
    const seen: string[] = [];
    let cursor = since;
    for (;;) {
      const page = await store.revocationsSince(cursor, 5);
      seen.push(...page.map((r) => ("jti" in r.revocation ? r.revocation.jti : "?")));
      if (page.length < 5) break;
      cursor = page.at(-1)!.cursor;
    }
    expect(seen.filter((j) => j.startsWith("o-"))).toEqual(
      Array.from({ length: 12 }, (_, i) => `o-${i}`),
    );
  });

  it("audit events come back in id order with their fields", async () => {
    const marker = `m-${Date.now()}`;
    const before = await store.auditSince(undefined, 1_000_000);
    for (let i = 0; i < 11; i++) {
      await store.recordAudit(
        { event: "deny", principal: marker, reasons: [{ code: `c${i}`, detail: "" }] },
        new Date(),
      );
    }
    const events = (await store.auditSince(before.at(-1)?.id, 100)).filter(
      (e) => e.principal === marker,
    );
    expect(events.map((e) => e.reasons?.[0]?.code)).toEqual(
      Array.from({ length: 11 }, (_, i) => `c${i}`),
    );
  });

  it("remembers the last expiry signed by a key", async () => {
    const kid = `kid-${Date.now()}`;
    expect(await store.lastExpiryByKey(kid)).toBeUndefined();
    for (const exp of [100, 300, 200]) {
      await store.recordIssuance({
        jti: `${kid}-${exp}`,
        iss: "i",
        sub: "s",
        aud: "a",
        grantId: "g",
        policyVersion: "v",
        kid,
        iat: 1,
        exp,
      });
    }
    expect(await store.lastExpiryByKey(kid)).toBe(300);
  });
});
