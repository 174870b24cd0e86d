type Callback = (error: Error | null, result?: unknown) => void;

/** A `query(…)` call taken apart: what to analyse, what to send, where the answer goes. */
export interface QueryCall {
  /** The statement text, read once; the same text is sent. */
  readonly text: unknown;
  /** Arguments for the underlying `query`, without the callback. */
  readonly args: readonly unknown[];
  readonly callback: Callback | undefined;
  /** True for a Submittable (pg-cursor, pg-query-stream): `query` returns it at once. */
  readonly submittable: boolean;
}

/**
 * Reads the arguments of `query(text | config | submittable, values?, callback?)` the way
 * node-postgres does. A config object is copied with its text read once, so a getter cannot
 * show the guard one statement and the server another.
 */
export function readQueryCall(args: readonly unknown[]): QueryCall {
  const [first, second, third] = args;
  const callback = (typeof second === "function" ? second : third) as Callback | undefined;
  const values = typeof second === "function" ? undefined : second;
  const rest = values === undefined ? [] : [values];

  if (typeof first === "string") {
    return { text: first, args: [first, ...rest], callback, submittable: false };
  }

  if (typeof first === "object" && first !== null) {
    const config = first as Record<string, unknown>;
    const text = config["text"];
    if (typeof config["submit"] === "function") {
      // A Submittable (cursor, stream) is sent as the caller's own object, which reads `text`
      // again when it submits: pin the text that is analysed, so it cannot change afterwards.
      if (!pinText(config, text)) {
        return { text: undefined, args: [first, ...rest], callback, submittable: true };
      }
      return { text, args: [first, ...rest], callback, submittable: true };
    }
    return { text, args: [{ ...config, text }, ...rest], callback, submittable: false };
  }
  return { text: first, args: [first, ...rest], callback, submittable: false };
}

function pinText(config: Record<string, unknown>, text: unknown): boolean {
  try {
    Object.defineProperty(config, "text", { value: text, writable: false, configurable: false });
    return true;
  } catch {
    // Frozen, or `text` already pinned to something else: analyse nothing, which is malformed.
    return Object.getOwnPropertyDescriptor(config, "text")?.value === text;
  }
}

/** Settles `promise` through `callback` when there is one, else returns it. */
export function settle<T>(promise: Promise<T>, callback: Callback | undefined): Promise<T> | void {
  if (callback === undefined) return promise;
  promise.then(
    (result) => callback(null, result),
    (error: Error) => callback(error),
  );
}
