import type {
  AuditSink,
  MemoryRevocationList,
  MintInput,
  MintOptions,
  PublicJwks,
  SigningKey,
} from "@pulse/core";
import { PulseDeniedError } from "@pulse/core";

/** One line of the printed story. */
export interface StoryRow {
  readonly step: string;
  readonly operation: string;
  readonly resource: string;
  readonly outcome: "allow" | "deny" | "step-up" | "shadow-deny" | "error";
  readonly reason: string;
}

/** What every chapter of the demo shares: the broker key, revocations, audit, a scratch dir. */
export interface StoryContext {
  readonly issuer: string;
  readonly key: SigningKey;
  readonly jwks: PublicJwks;
  readonly revocations: MemoryRevocationList;
  readonly audit: AuditSink;
  /** A scratch directory for this run, removed at the end. */
  readonly workDir: string;
  /**
   * Signs a token as the in-process broker (the issuer is filled in). `options.now` mints with
   * another clock, e.g. a token that was issued an hour ago.
   */
  mint(input: Omit<MintInput, "iss">, options?: MintOptions): Promise<string>;
  /** Runs one step; records `allow`, or the reason of a PulseDeniedError, or an error. */
  attempt(
    step: string,
    operation: string,
    resource: string,
    fn: () => Promise<unknown>,
  ): Promise<void>;
  /** Records a row directly (for shadow-mode steps that read the audit). */
  record(row: StoryRow): void;
}

/** A chapter of the demo. `run` must leave nothing running when it returns or throws. */
export interface Chapter {
  readonly title: string;
  /** What the chapter's tokens grant, printed under the title so each row can be read. */
  readonly summary: readonly string[];
  run(story: StoryContext): Promise<void>;
}

/** Turns what a step did into a row. */
export function outcomeOf(error: unknown): Pick<StoryRow, "outcome" | "reason"> {
  if (error === undefined) return { outcome: "allow", reason: "" };
  const code = (error as { code?: unknown }).code;
  if (code === "ERR_PULSE_DENIED") {
    const denied = error as PulseDeniedError;
    return { outcome: denied.outcome, reason: denied.reason + causeOf(denied.cause) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { outcome: "error", reason: message.slice(0, 80) };
}

/**
 * When a token provider failed (the broker refused to issue), the guard denies `malformed` and
 * keeps the provider's error as the cause: show the broker's reasons first, since there was no
 * token to be malformed.
 */
function causeOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return "";
  const reasons = (cause as { reasons?: unknown }).reasons;
  const codes = Array.isArray(reasons)
    ? reasons.map((r: { code?: unknown }) => String(r.code)).join(",")
    : "";
  return codes === "" ? ` (cause ${code})` : ` (no token: the broker refused, ${codes})`;
}
