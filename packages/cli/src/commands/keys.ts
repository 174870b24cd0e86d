import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { addKeyFile, loadKeyDirectory } from "@pulse/broker";
import type { SigningKey } from "@pulse/core";
import { PulseCliError } from "../errors.js";
import { parseCommandLine, required, usageError } from "../internal/args.js";
import type { CliIo } from "../internal/io.js";
import { say, sayJson } from "../internal/io.js";

export const KEYS_USAGE = `usage: pulse keys generate --out DIR [--alg EdDSA|ES256] [--json]

Generates a broker signing key and writes it to DIR the way \`pulse broker --keys DIR\` reads
it: a JWE file encrypted (PBES2-HS512+A256KW, A256GCM) under the passphrase in
PULSE_BROKER_KEY_PASSPHRASE (at least 12 characters). The new file sorts last, so the broker
signs with it after its next start; older keys stay published. Prints the key id (kid).

  --out DIR      the broker's key directory (created if missing)
  --alg ALG      EdDSA (Ed25519, the default); ES256 is not available yet, see below
  --json         print { kid, alg, file, keys } as JSON

ES256 keys cannot be written yet: @pulse/broker's addKeyFile, which writes key files, always
generates Ed25519 keys.
Exit status: 0 written; 1 bad arguments, no passphrase, or existing keys it cannot open.`;

const PASSPHRASE = "PULSE_BROKER_KEY_PASSPHRASE";

async function keyFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(".jwe"));
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw new PulseCliError("ERR_PULSE_CLI_INPUT", `cannot read --out ${dir}`, { cause: error });
  }
}

/**
 * Adds a key to `dir`. An empty directory gets its first key from the broker's own loader; a
 * directory with keys is opened first, so that every file in it stays readable under one
 * passphrase.
 */
async function generate(
  dir: string,
  passphrase: string,
): Promise<{ key: SigningKey; count: number }> {
  const before = await keyFiles(dir);
  if (before.length === 0) {
    const [key] = await loadKeyDirectory(dir, passphrase);
    return { key: key!, count: 1 };
  }
  const existing = await loadKeyDirectory(dir, passphrase);
  return { key: await addKeyFile(dir, passphrase), count: existing.length + 1 };
}

async function keysGenerate(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { out: { type: "string" }, alg: { type: "string" }, json: { type: "boolean" } },
    KEYS_USAGE,
  );
  if (values.help) {
    say(io, KEYS_USAGE);
    return 0;
  }

  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}`, KEYS_USAGE);

  const dir = required(values.out, "--out DIR", KEYS_USAGE);
  const alg = values.alg ?? "EdDSA";
  if (alg === "ES256") {
    throw new PulseCliError(
      "ERR_PULSE_CLI_INPUT",
      "ES256 key files cannot be written yet: @pulse/broker's addKeyFile generates " +
        "Ed25519 keys only; use --alg EdDSA",
    );
  }
  if (alg !== "EdDSA") throw usageError(`--alg ${alg}: expected EdDSA or ES256`, KEYS_USAGE);

  const passphrase = io.env[PASSPHRASE];
  if (passphrase === undefined || passphrase === "") {
    throw new PulseCliError(
      "ERR_PULSE_CLI_INPUT",
      `${PASSPHRASE} is not set: the key file is encrypted under it`,
    );
  }

  const before = new Set(await keyFiles(dir));
  const { key, count } = await generate(dir, passphrase);
  const created = (await keyFiles(dir)).filter((f) => !before.has(f));
  const file = created.length === 1 ? join(dir, created[0]!) : dir;

  if (values.json) {
    sayJson(io, { kid: key.kid, alg: key.alg, file, keys: count });
    return 0;
  }
  say(io, key.kid);
  say(io, `  alg    ${key.alg}`);
  say(io, `  file   ${file} (encrypted under ${PASSPHRASE})`);
  say(io, `  keys   ${count} in ${dir}; the broker signs with this one after its next start`);
  return 0;
}

/** `pulse keys`: broker key management. */
export async function keysCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "generate") return keysGenerate(rest, io);

  if (sub === "--help" || sub === "-h" || sub === "help") {
    say(io, KEYS_USAGE);
    return 0;
  }

  if (sub === undefined) throw usageError("a keys command is required: generate", KEYS_USAGE);
  throw usageError(`unknown keys command ${sub}`, KEYS_USAGE);
}
