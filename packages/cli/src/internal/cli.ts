import { brokerCommand } from "../commands/broker.js";
import { inspectCommand } from "../commands/inspect.js";
import { keysCommand } from "../commands/keys.js";
import { policyCheckCommand } from "../commands/policy-check.js";
import { policyFormatCommand } from "../commands/policy-format.js";
import { verifyCommand } from "../commands/verify.js";
import { usageError } from "./args.js";
import type { CliIo } from "./io.js";
import { say, warn } from "./io.js";

export const USAGE = `usage: pulse COMMAND [OPTIONS]

Commands:
  broker            run the capability broker (as pulse-broker)
  keys generate     write a new broker signing key, print its kid
  inspect           decode a token WITHOUT verifying it, print header and claims
  verify            verify a token for one request, print allow or deny with its reason
  policy check      load a policy set, print errors, warnings and the policy version
  policy format     format policy files canonically, or --check that they are

Run pulse COMMAND --help for a command's options. Documentation: docs/cli.md.`;

const POLICY_USAGE = `usage: pulse policy check DIR [--json]
       pulse policy format FILE... [--check] [--json]`;

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const isHelp = (word: string | undefined) => word === "--help" || word === "-h" || word === "help";

function policyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "check") return policyCheckCommand(rest, io);

  if (sub === "format") return policyFormatCommand(rest, io);

  if (isHelp(sub)) {
    say(io, POLICY_USAGE);
    return Promise.resolve(0);
  }
  const message =
    sub === undefined ? "a policy command is required" : `unknown policy command ${sub}`;
  throw usageError(`${message}: check or format`, POLICY_USAGE);
}

const COMMANDS: Readonly<Record<string, Command>> = {
  broker: brokerCommand,
  keys: keysCommand,
  inspect: inspectCommand,
  verify: verifyCommand,
  policy: policyCommand,
};

/** Picks the command named by the first argument and runs it. */
export async function dispatch(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (isHelp(name)) {
    say(io, USAGE);
    return 0;
  }

  if (name === undefined) {
    warn(io, USAGE);
    return 1;
  }

  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw usageError(`unknown command ${name}`, USAGE);
  return command(rest, io);
}
