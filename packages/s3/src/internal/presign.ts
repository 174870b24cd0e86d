/**
 * How long a presigned URL stays usable, read from the URL itself.
 *
 * `getSignedUrl` (`@aws-sdk/s3-request-presigner`) runs the client's middleware stack with an
 * interceptor placed just before the signing middleware. The interceptor sends nothing: it
 * signs the request into a URL and returns it as `output.presigned`, and that output travels
 * back up through every middleware above it. `expiresIn` itself is never put where a
 * middleware can read it, but the signed URL carries the same facts: `X-Amz-Date` (when it
 * was signed) and `X-Amz-Expires` (for how many seconds it is valid).
 */
export type PresignWindow =
  { readonly signedAt: number; readonly validUntil: number } | { readonly detail: string };

export interface PresignedRequest {
  readonly query?: Readonly<Record<string, unknown>>;
}

/**
 * The presigned request in a handler's output, or `undefined` when the call was an ordinary
 * send (its output has no `presigned` member; no S3 output shape has one).
 */
export function presignedRequest(output: unknown): PresignedRequest | undefined {
  if (typeof output !== "object" || output === null || !("presigned" in output)) return undefined;
  const presigned = (output as { presigned: unknown }).presigned;
  return typeof presigned === "object" && presigned !== null ? presigned : {};
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SECONDS = /^[1-9][0-9]{0,9}$/;

/** When the presigned URL was signed and until when S3 honours it, in epoch seconds. */
export function presignWindow(request: PresignedRequest): PresignWindow {
  const date = request.query?.["X-Amz-Date"];
  const expires = request.query?.["X-Amz-Expires"];
  if (typeof date !== "string" || !AMZ_DATE.test(date)) return unreadable();
  if (typeof expires !== "string" || !SECONDS.test(expires)) return unreadable();

  const signedAt = Date.parse(date.replace(AMZ_DATE, "$1-$2-$3T$4:$5:$6Z")) / 1000;
  if (!Number.isFinite(signedAt)) return unreadable();

  return { signedAt, validUntil: signedAt + Number(expires) };
}

function unreadable(): PresignWindow {
  return { detail: "presigned URL has no readable X-Amz-Date and X-Amz-Expires" };
}
