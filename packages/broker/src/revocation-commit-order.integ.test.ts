// cursor-commit-order: on PostgreSQL a BIGSERIAL is numbered at insert and becomes visible at
// commit, so two replicas storing revocations at once could commit out of cursor order, and a
// feed reading in between would move past a cursor that appears later. The store numbers and
// commits revocations one at a time; this pins it against a real server (PULSE_PG_URL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrokerStore } from "./store.js";
import { openStore } from "./store.js";
import type { TemporaryDatabase } from "./testing/temporary-database.js";
import { temporaryDatabase } from "./testing/temporary-database.js";

const PG = process.env.PULSE_PG_URL;
const ISS = "https://order.test";

describe.skipIf(PG === undefined)("cursor-commit-order (PostgreSQL)", () => {
  let db: TemporaryDatabase;
  let store: BrokerStore;

  beforeAll(async () => {
    db = await temporaryDatabase(PG!);
    store = await openStore({ url: db.url });
    // The insert of the revocation named "slow" waits half a second before its transaction
    // can commit: its cursor is numbered, but nobody sees the row yet.
    await db.query(`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$`);
    await db.query(`CREATE TRIGGER slow_commit AFTER INSERT ON pulse_revocations
      FOR EACH ROW WHEN (NEW.subject LIKE 'slow%') EXECUTE FUNCTION slow_commit()`);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  /** Resolves once a session of the store sits in the trigger's sleep. */
  async function sleeping(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query(
        "SELECT 1 FROM pg_stat_activity " +
          "WHERE datname = current_database() AND wait_event = 'PgSleep'",
      );
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error("the slow insert never started");
  }

  it("cursor-commit-order: a reader never sees a cursor before every lower one", async () => {
    const slow = store.addRevocation({ iss: ISS, jti: "slow-1" });
    await sleeping();
    const fast = store.addRevocation({ iss: ISS, jti: "fast-1" });

    const seen: string[][] = [];
    let done = false;
    const both = Promise.all([slow, fast]).finally(() => (done = true));
    while (!done) {
      seen.push((await store.revocationsSince("0", 100)).map((r) => r.cursor));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [s, f] = await both;
    const final = (await store.revocationsSince("0", 100)).map((r) => r.cursor);

    expect(seen.length).toBeGreaterThan(0);
    expect(final).toEqual([s.cursor, f.cursor]);
    for (const page of seen) expect(page).toEqual(final.slice(0, page.length));
  });

  it("issuance-during-revocation: an issuance waits for a revocation being stored", async () => {
    const order: string[] = [];
    const revocation = store
      .addRevocation({ iss: ISS, sub: "slow-principal", issuedBefore: 1 })
      .then(() => order.push("revocation"));
    await sleeping();
    const issuance = store
      .recordIssuance({
        jti: "order-1",
        iss: ISS,
        sub: "slow-principal",
        aud: "s3",
        grantId: "g",
        policyVersion: "v",
        kid: "k",
        iat: 4_000_000_000,
        exp: 4_000_000_060,
      })
      .then(() => order.push("issuance"));
    await Promise.all([revocation, issuance]);
    expect(order).toEqual(["revocation", "issuance"]);
  });
});
