import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** A local S3-compatible server: s3rver on 127.0.0.1, an ephemeral port, files under `dir`. */
export interface LocalS3 {
  readonly endpoint: string;
  /** A new S3 client for this server. */
  client(): S3Client;
  /** Stops the server and drops its open connections. */
  close(): Promise<void>;
}

/** Starts s3rver with `buckets`; its request logging is off. */
export async function startLocalS3(parentDir: string, buckets: readonly string[]) {
  const directory = await mkdtemp(join(parentDir, "s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;

  const local: LocalS3 = {
    endpoint,
    client: () =>
      new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
        // With the SDK's default streaming checksums, s3rver stores the aws-chunked framing
        // inside the object. Checksums only where S3 requires them keep the bytes exact.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    close: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
  return local;
}
