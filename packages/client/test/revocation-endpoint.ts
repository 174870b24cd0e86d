// Test-only: a scripted revocation endpoint and a feed runner polling it, for the feed tests.
import { RevocationFeedRunner } from "../src/internal/feed-runner.js";

export const ISS = "https://broker.test";

/** A scripted revocation endpoint: serves `log` after `since`, or fails while `down`. */
export function endpoint() {
  const state = { down: false, calls: [] as string[], log: [] as object[], epoch: "e-1" };
  const fetchFn = (async (url: URL) => {
    const since = url.searchParams.get("since")!;
    state.calls.push(since);
    if (state.down) throw new TypeError("fetch failed");
    const page = state.log.filter((r: any) => BigInt(r.cursor) > BigInt(since));
    const newest = (state.log.at(-1) as any)?.cursor ?? "0";
    const cursor =
      (page.at(-1) as any)?.cursor ?? (BigInt(since) > BigInt(newest) ? newest : since);
    const body = { issuer: ISS, epoch: state.epoch, revocations: page, cursor, complete: true };
    return new Response(JSON.stringify(body));
  }) as unknown as typeof fetch;
  return { state, fetchFn };
}

export function feed(
  fetchFn: typeof fetch,
  clock: { t: number },
  extra: Partial<ConstructorParameters<typeof RevocationFeedRunner>[0]> = {},
): RevocationFeedRunner {
  return new RevocationFeedRunner({
    ...extra,
    broker: "http://127.0.0.1:1",
    maxStalenessMs: 1000,
    pollIntervalMs: 3_600_000,
    fetch: fetchFn,
    now: () => clock.t,
  });
}
