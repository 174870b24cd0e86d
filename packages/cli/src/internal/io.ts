/** Where a command writes and reads. `runCli` defaults every member to the process's own. */
export interface CliIo {
  /** Results: what a script would read. */
  readonly stdout: { write(text: string): unknown };
  /** Errors, warnings and the broker's log lines. */
  readonly stderr: { write(text: string): unknown };
  /** Read when a token argument is `-`. */
  readonly stdin: AsyncIterable<string | Uint8Array>;
  /** Environment variables (`PULSE_BROKER_KEY_PASSPHRASE`, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting stops a running `pulse broker` (SIGTERM to the broker process). */
  readonly signal?: AbortSignal;
}

/** Writes `text` and a line break to standard output. */
export function say(io: CliIo, text = ""): void {
  io.stdout.write(`${text}\n`);
}

/** Writes `value` as indented JSON to standard output. */
export function sayJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes `text` and a line break to standard error. */
export function warn(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}

/** Reads standard input to its end as UTF-8 text. */
export async function readAll(input: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of input) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
