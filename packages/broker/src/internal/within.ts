/**
 * Waits for `work` at most `ms` milliseconds. A publisher whose engine is down may never settle
 * (node-redis keeps retrying a connection): the broker must not wait for it.
 */
export async function within(work: Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
