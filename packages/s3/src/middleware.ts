import type { CapabilityClaims, Decision, VerifierMode } from "@pulse/core";
import { assertAllowed, PulseOptionsError } from "@pulse/core";
import type { GuardOptions } from "@pulse/core/scope";
import { authorize } from "@pulse/core/scope";
import type {
  AbsoluteLocation,
  InitializeHandlerOptions,
  InitializeMiddleware,
  MetadataBearer,
} from "@smithy/types";
import type { CommandAccess } from "./internal/command-map.js";
import { commandAccess } from "./internal/command-map.js";
import { snapshotInput } from "./internal/input-snapshot.js";
import type { PresignedRequest } from "./internal/presign.js";
import { presignedRequest, presignWindow } from "./internal/presign.js";

/**
 * Options for {@link pulseS3Middleware}: the options every PULSE adapter shares.
 *
 * - `verifier` — a verifier for the `s3` audience (from `createVerifier`).
 * - `mode` — overrides the verifier's mode: `enforce` (default), `shadow` or `off`.
 * - `token` — a fixed token or a provider, used when the request scope (`runWithToken`) has
 *   none.
 * - `context` — the caller context (source address, flags), under the request scope's.
 */
export interface PulseS3Options extends GuardOptions {}

/**
 * Where {@link pulseS3Middleware} sits: the `initialize` step, at high priority.
 *
 * Initialize middleware sees `context.commandName` and the caller's own input (the raw `Key`,
 * `Prefix`, `CopySource`) before the SDK does any work on the call: before endpoint resolution,
 * body checksums, credentials and signing. It is also the outermost step, so the S3 region
 * redirect (an initialize middleware of normal priority that re-runs the call below itself) and
 * retries never cause a second decision. `getSignedUrl` copies the client's stack and stops it
 * just before signing, so the check runs for presigned URLs too.
 */
export const pulseS3MiddlewareOptions: InitializeHandlerOptions & AbsoluteLocation = {
  name: "pulseS3Middleware",
  step: "initialize",
  tags: ["PULSE", "AUTHORIZATION"],
  priority: "high",
  // A second PULSE middleware must not silently replace this one: adding it again throws.
  override: false,
};

/**
 * The PULSE verifier as an AWS SDK v3 middleware: checks the capability token against every
 * action and resource an S3 command touches, once per call, before anything is sent.
 *
 * In `enforce` mode a denial rejects `send` with a `PulseDeniedError` (`code:
 * "ERR_PULSE_DENIED"`, `reason`) and no request leaves the process. In `shadow` mode the call
 * runs and the would-be denial is audited (`blocked: false`). Commands outside the map are
 * denied `unsupported-operation`. A presigned URL that would stay valid after the token expires
 * is denied `expired`.
 *
 * Most code uses {@link getPulseS3Plugin} or {@link withPulse} instead.
 *
 * @param options - Verifier, mode, token source and caller context.
 * @returns An initialize-step middleware; add it with {@link pulseS3MiddlewareOptions}.
 * @throws {@link PulseOptionsError} when `options.verifier` is missing.
 *
 * @example
 * ```ts
 * s3.middlewareStack.add(pulseS3Middleware({ verifier }), pulseS3MiddlewareOptions);
 * ```
 */
export function pulseS3Middleware<Input extends object, Output extends MetadataBearer>(
  options: PulseS3Options,
): InitializeMiddleware<Input, Output> {
  checkOptions(options);

  return (next, context) => async (args) => {
    const mode = options.mode ?? options.verifier.mode;
    if (mode === "off") return next(args);

    const operation = context.commandName;
    const input = snapshotInput(args.input);
    const access = commandAccess(operation, input);
    const decision = await decide(options, mode, access, operation);

    const result = await next({ ...args, input: input as typeof args.input });
    const presigned = presignedRequest(result.output);
    if (presigned !== undefined && decision.claims !== undefined) {
      checkPresignedUrl(options, mode, decision.claims, presigned, operation);
    }
    return result;
  };
}

async function decide(
  options: PulseS3Options,
  mode: VerifierMode,
  access: CommandAccess,
  operation: string | undefined,
): Promise<Decision> {
  if ("requests" in access) return authorize(options, access.requests, operation);

  const decision = options.verifier.refuse(access.refusal, access.detail, {
    mode,
    ...labelled(operation),
  });
  assertAllowed(decision);
  return decision;
}

// A presigned URL is checked by S3 alone until it expires: PULSE cannot revoke it, so it may not
// live longer than the token that allowed it. Deny rather than shorten it: a URL quietly cut to a
// few seconds fails later, far from the cause, while a denial names it at once.
function checkPresignedUrl(
  options: PulseS3Options,
  mode: VerifierMode,
  claims: CapabilityClaims,
  presigned: PresignedRequest,
  operation: string | undefined,
): void {
  const window = presignWindow(presigned);
  const label = labelled(operation === undefined ? undefined : `${operation} (presign)`);

  if ("detail" in window) {
    assertAllowed(options.verifier.refuse("malformed", window.detail, { mode, ...label }));
    return;
  }
  if (window.validUntil <= claims.exp) return;

  const detail =
    `presigned URL valid until ${isoSeconds(window.validUntil)} outlives the token ` +
    `(expires ${isoSeconds(claims.exp)})`;
  assertAllowed(options.verifier.refuse("expired", detail, { mode, ...label }));
}

function checkOptions(options: PulseS3Options): void {
  const verifier = options?.verifier;
  if (typeof verifier?.check !== "function" || typeof verifier.refuse !== "function") {
    throw new PulseOptionsError("pulseS3Middleware needs a verifier (createVerifier)");
  }
  if (options.mode !== undefined && !["enforce", "shadow", "off"].includes(options.mode)) {
    throw new PulseOptionsError(`unknown mode ${JSON.stringify(options.mode)}`);
  }
}

function labelled(operation: string | undefined): { operation?: string } {
  return operation === undefined ? {} : { operation };
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
}
