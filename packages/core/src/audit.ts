import type { Action } from "./claims.js";
import type { Decision, DenyReason, VerifierMode } from "./decision.js";

/** One audit record per decision. Never holds token bytes or key material. */
export interface AuditRecord {
  /** ISO 8601 time of the decision. */
  readonly time: string;
  /** Which verifier decided (`s3`, `pg`, `vault`, or what the caller named it). */
  readonly verifier: string;
  readonly outcome: Decision["outcome"];
  readonly reason?: DenyReason;
  readonly detail?: string;
  readonly mode: VerifierMode;
  readonly blocked: boolean;
  readonly iss?: string;
  readonly sub?: string;
  readonly jti?: string;
  readonly grant?: { readonly id: string; readonly ver: string };
  readonly requests: ReadonlyArray<{ readonly resource: string; readonly action: Action }>;
  readonly sourceIp?: string;
  /** Extra fields the adapter adds (the S3 command name, a statement digest). */
  readonly operation?: string;
}

/** Where decisions go. `write` may be async; the verifier does not wait for it. */
export interface AuditSink {
  write(record: AuditRecord): void | Promise<void>;
}

/**
 * An audit sink that writes one JSON document per line through `writeLine`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const sink = jsonLinesAuditSink((line) => lines.push(line));
 * ```
 */
export function jsonLinesAuditSink(writeLine: (line: string) => void | Promise<void>): AuditSink {
  return { write: (record) => writeLine(`${JSON.stringify(record)}\n`) };
}

/** An audit sink that keeps records in memory, for tests and demos. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];

  write(record: AuditRecord): void {
    this.records.push(record);
  }
}
