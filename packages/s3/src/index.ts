/**
 * `@pulse/s3`: the PULSE verifier for S3, as an AWS SDK v3 middleware plugin.
 *
 * Every command an `S3Client` sends (and every URL `getSignedUrl` presigns) is mapped to the
 * actions and resources it touches and checked against the capability token of the current
 * request before anything leaves the process.
 *
 * @example
 * ```ts
 * import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
 * import { createVerifier } from "@pulse/core";
 * import { runWithToken } from "@pulse/core/scope";
 * import { withPulse } from "@pulse/s3";
 *
 * const verifier = await createVerifier({ keys: jwks, issuer, audience: "s3", revocation });
 * const s3 = withPulse(new S3Client({ region: "eu-west-1" }), { verifier });
 * await runWithToken(token, () => s3.send(new GetObjectCommand({ Bucket, Key })));
 * ```
 *
 * @packageDocumentation
 */
export type { PulseS3Options } from "./middleware.js";
export { pulseS3Middleware, pulseS3MiddlewareOptions } from "./middleware.js";
export type { MiddlewareStackHolder } from "./plugin.js";
export { getPulseS3Plugin, withPulse } from "./plugin.js";
