#!/usr/bin/env node
/**
 * The `pulse` command. See `pulse --help` and `docs/cli.md`.
 *
 * SIGTERM and SIGHUP stop a running `pulse broker` cleanly. Ctrl-C reaches the broker directly
 * (it runs in the same process group), so this process only waits for it to finish.
 *
 * @packageDocumentation
 */
import { runCli } from "./index.js";

const controller = new AbortController();
const command = process.argv[2];
if (command === "broker") {
  process.on("SIGINT", () => {});
  process.once("SIGTERM", () => controller.abort());
  process.once("SIGHUP", () => controller.abort());
}

runCli(process.argv.slice(2), { signal: controller.signal }).then((status) => {
  process.exitCode = status;
});
