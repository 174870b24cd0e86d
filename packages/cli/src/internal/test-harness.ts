// Test support: runs `pulse` in-process with captured output, and makes real inputs (a key
// directory, tokens minted with its key, a JWKS file) in a temporary directory.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { loadKeyDirectory } from "@pulse/broker";
import type { MintInput, SigningKey } from "@pulse/core";
import { exportJwks, mint } from "@pulse/core";
import { runCli } from "../index.js";

export const PASSPHRASE = "a long test passphrase";
export const EXAMPLE_POLICIES = fileURLToPath(
  new URL("../../../../examples/policies", import.meta.url),
);

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly env?: Record<string, string | undefined>;
  readonly signal?: AbortSignal;
  /** Called with each piece of standard error as it is written. */
  readonly onStderr?: (text: string) => void;
}

/** Runs `pulse ARGS` through the programmatic entry and collects what it wrote. */
export async function pulse(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(text);
      },
    },
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? { PULSE_BROKER_KEY_PASSPHRASE: PASSPHRASE },
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  return { status, stdout, stderr };
}

/** A temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "pulse-cli-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The current signing key of a key directory, read with the broker's own loader. */
export async function currentKey(keysDir: string): Promise<SigningKey> {
  const [key] = await loadKeyDirectory(keysDir, PASSPHRASE);
  return key!;
}

/** Writes the public keys of a key directory as a JWKS file and returns its path. */
export async function writeJwks(keysDir: string, file: string): Promise<string> {
  const keys = await loadKeyDirectory(keysDir, PASSPHRASE);
  await writeFile(file, JSON.stringify(exportJwks(keys)));
  return file;
}

export const ISSUER = "http://127.0.0.1:8600";

/** A token for `svc:reporting` on `s3://acme-reports/team-a/*`, changed by `changes`. */
export function reportingToken(
  key: SigningKey,
  changes: Partial<MintInput> = {},
  now?: () => number,
): Promise<string> {
  const input: MintInput = {
    iss: ISSUER,
    sub: "svc:reporting",
    aud: "s3",
    pcl: "service",
    cap: [{ res: "s3://acme-reports/team-a/*", act: ["read", "list"] }],
    ctx: { cidr: ["10.20.0.0/16"] },
    jus: { ref: "CHG-1042", txt: "Nightly export of team A reports." },
    grt: { id: "reporting-export", ver: "sha256:0123" },
    lifetimeSeconds: 300,
    ...changes,
  };
  return mint(input, key, now === undefined ? {} : { now });
}
