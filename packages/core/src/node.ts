/**
 * Node-only helpers for `@pulse/core`.
 *
 * @packageDocumentation
 */
import { createWriteStream } from "node:fs";
import type { AuditSink } from "./audit.js";
import { jsonLinesAuditSink } from "./audit.js";

/** An audit sink that appends JSON lines to a file, plus a way to flush and close it. */
export interface FileAuditSink extends AuditSink {
  /** Resolves once every record written so far is on disk and the file is closed. */
  close(): Promise<void>;
}

/**
 * Appends one JSON record per line to `path` (created if missing).
 *
 * @example
 * ```ts
 * const audit = fileAuditSink("./audit.jsonl");
 * // … build verifiers with { audit } …
 * await audit.close();
 * ```
 */
export function fileAuditSink(path: string): FileAuditSink {
  const stream = createWriteStream(path, { flags: "a", mode: 0o600 });
  const sink = jsonLinesAuditSink((line) => {
    stream.write(line);
  });
  return {
    write: sink.write,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      }),
  };
}
