import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** An s3rver instance on 127.0.0.1, an ephemeral port and a temporary directory. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly directory: string;
  /** Every request the server received: method and path with query. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), "pulse-s3-test-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const seen: string[] = [];
  server.httpServer!.prependListener("request", (req) => seen.push(`${req.method} ${req.url}`));

  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    seen,
    close: async () => {
      server.httpServer!.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A real S3 client for s3rver: path-style, its fixed credentials, checksums only when required. */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    // With the default streaming checksums s3rver stores the aws-chunked framing in the object.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
