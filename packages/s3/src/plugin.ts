import type { Pluggable } from "@smithy/types";
import type { PulseS3Options } from "./middleware.js";
import { pulseS3Middleware, pulseS3MiddlewareOptions } from "./middleware.js";

/**
 * A plugin that adds {@link pulseS3Middleware} to a client's or a command's middleware stack.
 *
 * Adding it twice to one stack throws (the SDK refuses a duplicate middleware name), so a second
 * plugin cannot silently replace the first one's verifier or mode.
 *
 * @param options - Verifier, mode, token source and caller context.
 * @throws {@link PulseOptionsError} when `options.verifier` is missing.
 *
 * @example
 * ```ts
 * const s3 = new S3Client({ region: "eu-west-1" });
 * s3.middlewareStack.use(getPulseS3Plugin({ verifier }));
 * await runWithToken(token, () => s3.send(new GetObjectCommand({ Bucket, Key })));
 * ```
 */
export function getPulseS3Plugin(options: PulseS3Options): Pluggable<any, any> {
  const middleware = pulseS3Middleware(options);
  return {
    applyToStack: (stack) => {
      stack.add(middleware, pulseS3MiddlewareOptions);
    },
  };
}

/** Anything with an SDK v3 middleware stack: an `S3Client`, or a single command. */
export interface MiddlewareStackHolder {
  readonly middlewareStack: { use(pluggable: Pluggable<any, any>): void };
}

/**
 * Puts the PULSE verifier on `client` and returns the same client, so that application code
 * keeps calling `client.send` (and `getSignedUrl`) unchanged.
 *
 * @param client - An `S3Client`.
 * @param options - Verifier, mode, token source and caller context.
 * @returns `client`.
 * @throws {@link PulseOptionsError} when `options.verifier` is missing.
 *
 * @example
 * ```ts
 * const s3 = withPulse(new S3Client({ region: "eu-west-1" }), { verifier, mode: "shadow" });
 * ```
 */
export function withPulse<C extends MiddlewareStackHolder>(client: C, options: PulseS3Options): C {
  client.middlewareStack.use(getPulseS3Plugin(options));
  return client;
}
