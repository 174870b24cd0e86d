import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { PulseCliError } from "../errors.js";
import { parseCommandLine, required, usageError } from "../internal/args.js";
import type { CliIo } from "../internal/io.js";
import { say } from "../internal/io.js";

export const BROKER_USAGE = `usage: pulse broker --policy DIR --keys DIR [--listen 127.0.0.1:PORT]
         [--identity FILE] [--data DIR] [--trusted-proxy CIDR]... [--revocation-admin ADMIN]...

Runs the PULSE capability broker, exactly as \`pulse-broker\` from @pulse/broker does (it is
that program, started as a child process). It logs JSON lines on standard error, the first
with the URL it listens on. Ctrl-C or SIGTERM stops it.

  --policy DIR               the policy set (see pulse policy check)
  --keys DIR                 signing keys (see pulse keys generate); an empty DIR gets a key
  --listen HOST:PORT         default 127.0.0.1:8600; port 0 picks a free port
  --identity FILE            identity options as JSON (JWT issuers, development keys)
  --data DIR                 keep the embedded PGlite store in DIR (default: in memory)
  --trusted-proxy CIDR       believe X-Forwarded-For from these peers (repeatable)
  --revocation-admin ADMIN   who may POST /v1/revocations (repeatable): an id when the broker
                             has one identity source, else JSON {"issuer","principalClass","id"}

Environment: PULSE_BROKER_KEY_PASSPHRASE (required), PULSE_BROKER_ISSUER (default
http://HOST:PORT as given to --listen: set it when the port is 0), PULSE_PG_URL, PULSE_REDIS_URL.
Exit status: the broker's: 0 stopped cleanly, 1 failed, 2 bad options.`;

/**
 * The file of `@pulse/broker`'s `pulse-broker` command. Its runner is not exported from the
 * package entry, so the command is reached through the package's declared `bin`.
 */
function brokerProgram(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@pulse/broker/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    bin?: Record<string, string>;
  };
  const bin = manifest.bin?.["pulse-broker"];
  if (bin === undefined) {
    throw new PulseCliError(
      "ERR_PULSE_CLI_INPUT",
      "@pulse/broker declares no pulse-broker program",
    );
  }
  return join(dirname(manifestPath), bin);
}

function brokerArguments(values: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const name of ["policy", "keys", "listen", "identity", "data"]) {
    const value = values[name];
    if (typeof value === "string") args.push(`--${name}`, value);
  }
  for (const name of ["trusted-proxy", "revocation-admin"]) {
    for (const value of (values[name] as string[] | undefined) ?? []) args.push(`--${name}`, value);
  }
  return args;
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0));
}

/**
 * `pulse broker`: runs `pulse-broker` with the same options and environment, passes its output
 * through, stops it when `io.signal` aborts, and returns its exit status.
 */
export async function brokerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    {
      policy: { type: "string" },
      keys: { type: "string" },
      listen: { type: "string" },
      identity: { type: "string" },
      data: { type: "string" },
      "trusted-proxy": { type: "string", multiple: true },
      "revocation-admin": { type: "string", multiple: true },
    },
    BROKER_USAGE,
  );
  if (values.help) {
    say(io, BROKER_USAGE);
    return 0;
  }

  if (positionals.length > 0)
    throw usageError(`unexpected argument ${positionals[0]}`, BROKER_USAGE);

  required(values.policy, "--policy DIR", BROKER_USAGE);
  required(values.keys, "--keys DIR", BROKER_USAGE);
  if (!io.env["PULSE_BROKER_KEY_PASSPHRASE"]) {
    throw new PulseCliError(
      "ERR_PULSE_CLI_INPUT",
      "PULSE_BROKER_KEY_PASSPHRASE is not set: it decrypts the key files",
    );
  }

  const child = spawn(process.execPath, [brokerProgram(), ...brokerArguments(values)], {
    env: { ...io.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => io.stdout.write(chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => io.stderr.write(chunk.toString("utf8")));

  const stop = () => child.kill("SIGTERM");
  io.signal?.addEventListener("abort", stop, { once: true });
  if (io.signal?.aborted === true) stop();
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", (error) =>
        reject(
          new PulseCliError("ERR_PULSE_CLI_INPUT", "pulse-broker could not be started", {
            cause: error,
          }),
        ),
      );
      child.once("close", (code, signal) => resolve(exitStatus(code, signal)));
    });
  } finally {
    io.signal?.removeEventListener("abort", stop);
  }
}
