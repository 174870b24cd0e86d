// Pushes are unauthenticated hints: whoever can publish on the channel can send one. These tests
// replace the subscriber with a scripted one and check what a push may and may not change.
import { afterEach, describe, expect, it, vi } from "vitest";
import { endpoint, feed as polling, ISS } from "../../test/revocation-endpoint.js";
import type { RevocationFeedRunner } from "./feed-runner.js";

const feed = (fetchFn: typeof fetch, clock: { t: number }) =>
  polling(fetchFn, clock, { subscribe });

const pushed = vi.hoisted(() => ({ message: (_text: string) => {} }));
vi.mock("./subscribers.js", () => ({
  subscribe: async (_spec: unknown, handlers: { message: (text: string) => void }) => {
    pushed.message = handlers.message;
    return { close: async () => {} };
  },
}));

const subscribe = { redis: { url: "redis://127.0.0.1:1" } };

const token = (jti: string) => ({ iss: ISS, jti, sub: "svc:a", grantId: "g", iat: 100 });
const push = (cursor: string, jti: string) =>
  pushed.message(JSON.stringify({ v: 1, cursor, revocation: { iss: ISS, jti } }));

let open: RevocationFeedRunner | undefined;
afterEach(() => open?.close());

describe("RevocationFeedRunner and pushes", () => {
  it("forged-push-cursor: a push at cursor + 1 does not hide the revocation there", async () => {
    const { state, fetchFn } = endpoint();
    const f = (open = feed(fetchFn, { t: 0 }));
    await f.start();
    expect(f.cursor).toBe("0");

    state.log.push({ cursor: "1", revocation: { iss: ISS, jti: "real" } });
    push("1", "decoy");
    await f.sync();

    expect(f.status(token("real")).state).toBe("revoked");
    expect(f.status(token("decoy")).state).toBe("revoked");
    expect(f.cursor).toBe("1");
  });

  it("forged-push-cursor-walk: pushes never move the cursor past real entries", async () => {
    const { state, fetchFn } = endpoint();
    const f = (open = feed(fetchFn, { t: 0 }));
    await f.start();
    for (let i = 1; i <= 20; i++) push(String(i), `decoy-${i}`);
    await f.sync();
    expect(f.cursor).toBe("0");

    state.log.push({ cursor: "1", revocation: { iss: ISS, jti: "real" } });
    await f.sync();
    expect(f.status(token("real")).state).toBe("revoked");
    expect(f.cursor).toBe("1");
  });

  it("push-ahead-polls: a push beyond the cursor triggers a poll", async () => {
    const { state, fetchFn } = endpoint();
    const f = (open = feed(fetchFn, { t: 0 }));
    await f.start();
    const before = state.calls.length;

    state.log.push({ cursor: "1", revocation: { iss: ISS, jti: "j-1" } });
    push("1", "j-1");
    expect(f.status(token("j-1")).state).toBe("revoked");
    await vi.waitFor(() => expect(f.cursor).toBe("1"));
    expect(state.calls.length).toBeGreaterThan(before);
  });

  it("push-not-fresh: a push adds its revocation but does not make stale data fresh", async () => {
    const { fetchFn } = endpoint();
    const clock = { t: 0 };
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    let up = true;
    const f = (open = feed(((u: URL) => (up ? fetchFn(u) : down(u))) as typeof fetch, clock));
    await f.start();
    up = false;
    clock.t = 2000;
    push("1", "j-1");
    await f.sync();
    expect(f.status(token("other")).state).toBe("stale");
    expect(f.cursor).toBe("0");
  });
});
