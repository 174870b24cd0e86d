import { describe, expect, it } from "vitest";
import { endpoint, feed, ISS } from "../../test/revocation-endpoint.js";
const subject = { iss: ISS, jti: "j-1", sub: "svc:a", grantId: "g", iat: 100 };

describe("RevocationFeedRunner", () => {
  it("feed-before-first-sync: answers stale until a poll has succeeded", async () => {
    const { state, fetchFn } = endpoint();
    state.down = true;
    const f = feed(fetchFn, { t: 0 });
    await f.start();
    expect(f.status(subject).state).toBe("stale");
    state.down = false;
    expect(await f.sync()).toBe(true);
    expect(f.status(subject).state).toBe("valid");
    await f.close();
  });

  it("goes stale once the last successful poll is older than the bound", async () => {
    const { state, fetchFn } = endpoint();
    const clock = { t: 0 };
    const f = feed(fetchFn, clock);
    await f.start();
    state.down = true;
    clock.t = 900;
    expect(await f.sync()).toBe(false);
    expect(f.status(subject).state).toBe("valid");
    clock.t = 1001;
    expect(f.status(subject).state).toBe("stale");
    await f.close();
  });

  it("applies polled revocations and advances its cursor", async () => {
    const { state, fetchFn } = endpoint();
    state.log.push({ cursor: "1", revocation: { iss: ISS, jti: "j-1" } });
    const f = feed(fetchFn, { t: 0 });
    await f.start();
    expect(f.status(subject).state).toBe("revoked");
    expect(f.cursor).toBe("1");
    await f.sync();
    expect(state.calls.at(-1)).toBe("1");
    await f.close();
  });

  it("store-reset-epoch: a new epoch makes the feed read the log again from 0", async () => {
    const { state, fetchFn } = endpoint();
    state.log.push({ cursor: "1", revocation: { iss: ISS, jti: "x1" } });
    state.log.push({ cursor: "2", revocation: { iss: ISS, jti: "x2" } });
    state.log.push({ cursor: "3", revocation: { iss: ISS, jti: "old" } });
    state.log.push({ cursor: "4", revocation: { iss: ISS, jti: "x4" } });
    const f = feed(fetchFn, { t: 0 });
    await f.start();
    expect(f.cursor).toBe("4");

    // The broker restarts on an empty store and numbers from 1 again: its cursor 5 is far off.
    state.epoch = "e-2";
    state.log = [
      { cursor: "1", revocation: { iss: ISS, jti: "new-1" } },
      { cursor: "2", revocation: { iss: ISS, jti: "new-2" } },
      { cursor: "3", revocation: { iss: ISS, jti: "new-3" } },
      { cursor: "4", revocation: { iss: ISS, jti: "new-4" } },
      { cursor: "5", revocation: { iss: ISS, jti: "new" } },
    ];
    expect(await f.sync()).toBe(true);
    expect(f.status({ ...subject, jti: "new" }).state).toBe("revoked");
    expect(f.status({ ...subject, jti: "new-1" }).state).toBe("revoked");
    expect(f.status({ ...subject, jti: "old" }).state).toBe("revoked");
    expect(f.cursor).toBe("5");
    expect(state.calls.slice(-2)).toEqual(["4", "0"]);
  });

  it("store-reset-cursor: an answer whose cursor is below since reads the log again", async () => {
    const { state, fetchFn } = endpoint();
    for (let i = 1; i <= 3; i++) {
      state.log.push({ cursor: String(i), revocation: { iss: ISS, jti: `x${i}` } });
    }
    const f = feed(fetchFn, { t: 0 });
    await f.start();
    expect(f.cursor).toBe("3");

    // Restored from an older backup (same epoch), and cursor 2 reused before the next poll.
    state.log = [
      { cursor: "1", revocation: { iss: ISS, jti: "x1" } },
      { cursor: "2", revocation: { iss: ISS, jti: "after-restore" } },
    ];
    expect(await f.sync()).toBe(true);
    expect(f.status({ ...subject, jti: "after-restore" }).state).toBe("revoked");
    expect(f.status({ ...subject, jti: "x3" }).state).toBe("revoked");
    expect(f.cursor).toBe("2");
  });

  it("feed-bad-cursor: a page whose cursor is not a decimal integer is refused", async () => {
    const bad = (async () =>
      new Response(JSON.stringify({ revocations: [], cursor: "abc" }))) as unknown as typeof fetch;
    const f = feed(bad, { t: 0 });
    await f.start();
    expect(f.status(subject).state).toBe("stale");
    expect(f.cursor).toBe("0");
    await f.close();
  });

  it("feed-missing-epoch: a page that does not name the log's epoch is refused", async () => {
    const bare = (async () =>
      new Response(
        JSON.stringify({ revocations: [], cursor: "0", complete: true }),
      )) as unknown as typeof fetch;
    const f = feed(bare, { t: 0 });
    await f.start();
    expect(f.status(subject).state).toBe("stale");
    await f.close();
  });

  it("refuses a malformed page without applying it or marking fresh", async () => {
    const bad = (async () =>
      new Response(
        JSON.stringify({ revocations: [{ cursor: "1" }], cursor: "1" }),
      )) as unknown as typeof fetch;
    const f = feed(bad, { t: 0 });
    await f.start();
    expect(f.status(subject).state).toBe("stale");
    expect(f.cursor).toBe("0");
    await f.close();
  });
});
