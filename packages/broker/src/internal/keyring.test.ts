import { describe, expect, it } from "vitest";
import { generateSigningKey } from "@pulse/core";
import { KeyRing } from "./keyring.js";

const none = async () => undefined;

describe("KeyRing", () => {
  it("publishes the current and the next key; rotation promotes the next key", async () => {
    const ring = new KeyRing(await generateSigningKey(), 30);
    await ring.init([], none);
    const [current, next] = ring.published(1000).map((k) => k.kid);
    const promoted = await ring.rotate(none);
    expect(promoted.kid).toBe(next);
    expect(ring.current.kid).toBe(next);
    expect(ring.published(1000).map((k) => k.kid)).not.toContain(current);
  });

  it("retired-key-overlap: a retired key stays until its last token expires", async () => {
    const first = await generateSigningKey();
    const ring = new KeyRing(first, 30);
    await ring.init([], none);
    ring.signed(first.kid, 2000);
    await ring.rotate(none);
    expect(ring.published(2029).map((k) => k.kid)).toContain(first.kid);
    expect(ring.published(2030).map((k) => k.kid)).not.toContain(first.kid);
  });

  it("takes a retired key's last expiry from the shared issuance log", async () => {
    const first = await generateSigningKey();
    const older = await generateSigningKey();
    const ring = new KeyRing(first, 0);
    await ring.init([older], async (kid) => (kid === older.kid ? 5000 : undefined));
    expect(ring.published(4999).map((k) => k.kid)).toContain(older.kid);
    await ring.rotate(async (kid) => (kid === first.kid ? 6000 : undefined));
    expect(ring.published(5999).map((k) => k.kid)).toContain(first.kid);
    expect(ring.published(6000).map((k) => k.kid)).not.toContain(first.kid);
  });
});
