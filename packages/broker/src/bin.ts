#!/usr/bin/env node
/**
 * `pulse-broker --policy DIR --keys DIR --listen 127.0.0.1:PORT [--identity FILE]`
 *
 * Runs the broker. Environment: `PULSE_BROKER_KEY_PASSPHRASE` (required: decrypts the key
 * files), `PULSE_BROKER_ISSUER` (default `http://HOST:PORT`), `PULSE_PG_URL` (PostgreSQL; else an
 * embedded PGlite in `--data DIR` or in memory), `PULSE_REDIS_URL` (push revocations through
 * Redis; else PostgreSQL NOTIFY when `PULSE_PG_URL` is set). Logs JSON lines on stderr.
 *
 * @packageDocumentation
 */
import type { Logger } from "@pulse/core";
import { runBroker, USAGE } from "./internal/run-broker.js";

const log =
  (level: string) =>
  (message: string, fields: Record<string, unknown> = {}) =>
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
    );
const logger: Logger = { info: log("info"), warn: log("warn"), error: log("error") };

runBroker(process.argv.slice(2), process.env, logger).then(
  (running) => {
    const stop = () =>
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
  (error: unknown) => {
    const options = (error as { code?: string }).code === "ERR_PULSE_BROKER_OPTIONS";
    logger.error?.("pulse-broker failed to start", { error: String(error) });
    if (options) process.stderr.write(`${USAGE}\n`);
    process.exit(options ? 2 : 1);
  },
);
