/** Retry settings, in milliseconds. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly attempts?: number;
  /** Ceiling of the first backoff. Default 100. */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts. Default 2000. */
  readonly maxDelayMs?: number;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error is thrown, or the attempts run out.
 * Waits between attempts with "full jitter": a uniform random time up to
 * `min(maxDelayMs, baseDelayMs * 2^n)`, so many clients do not retry in step.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: RetryOptions,
  random: () => number = Math.random,
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 2000;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error) || n + 1 >= attempts) throw error;
      const ceiling = Math.min(max, base * 2 ** n);
      await new Promise((resolve) => setTimeout(resolve, random() * ceiling));
    }
  }
}
