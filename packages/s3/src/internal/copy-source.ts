/** Where a copy reads from: the bucket and the decoded key of `CopySource`. */
export interface CopySourceName {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** Why a `CopySource` value cannot be read unambiguously. */
export interface CopySourceProblem {
  readonly detail: string;
}

const VERSION_QUERY = /^versionId=[^&=]+$/;

/**
 * Reads `CopySource` (`x-amz-copy-source`) the way S3 reads it: an optional leading `/`, the
 * bucket, `/`, the URL-encoded key, and optionally `?versionId=…`. The key is percent-decoded
 * exactly once.
 *
 * Anything S3 could read in more than one way is refused rather than guessed at: a bucket or
 * separator that is itself percent-encoded, a literal `+` in the key (a space to some decoders,
 * a plus to others; encode it as `%2B` or `%20`), a query other than one `versionId`, and an
 * access point ARN.
 */
export function parseCopySource(value: unknown): CopySourceName | CopySourceProblem {
  if (typeof value !== "string" || value === "") return { detail: "CopySource is missing" };

  const text = value.startsWith("/") ? value.slice(1) : value;
  const query = text.indexOf("?");
  const path = query < 0 ? text : text.slice(0, query);
  const versionQuery = query < 0 ? undefined : text.slice(query + 1);

  if (versionQuery !== undefined && !VERSION_QUERY.test(versionQuery)) {
    return { detail: "CopySource may only carry ?versionId=<id>" };
  }

  const slash = path.indexOf("/");
  if (slash <= 0) return { detail: "CopySource is not bucket/key" };

  const bucket = path.slice(0, slash);
  if (bucket.includes("%") || bucket.includes(":")) {
    return { detail: "CopySource bucket must be a plain bucket name" };
  }

  const encodedKey = path.slice(slash + 1);
  if (encodedKey.includes("+")) {
    return { detail: "CopySource key holds a literal '+': encode it as %2B (or %20 for a space)" };
  }

  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    return { detail: "CopySource key is not valid percent-encoding" };
  }
  if (key === "") return { detail: "CopySource names no key" };

  const versionId = versionQuery?.slice("versionId=".length);
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}
