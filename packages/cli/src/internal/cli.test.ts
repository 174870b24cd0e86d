import { describe, expect, it } from "vitest";
import { pulse } from "./test-harness.js";

describe("pulse", () => {
  it("prints the command list for --help (status 0) and without a command (status 1)", async () => {
    const help = await pulse(["--help"]);
    expect(help.status).toBe(0);
    for (const command of [
      "broker",
      "keys generate",
      "inspect",
      "verify",
      "policy check",
      "policy format",
    ]) {
      expect(help.stdout).toContain(`  ${command} `);
    }

    const none = await pulse([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("usage: pulse COMMAND");
  });

  it("every command answers --help with its usage and status 0", async () => {
    const commands = [
      ["broker"],
      ["keys", "generate"],
      ["inspect"],
      ["verify"],
      ["policy", "check"],
      ["policy", "format"],
    ];
    for (const command of commands) {
      const run = await pulse([...command, "--help"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`usage: pulse ${command.join(" ")}`);
    }
  });

  it("refuses an unknown command or prototype name with a message and the synopsis", async () => {
    for (const name of ["bogus", "constructor", "__proto__"]) {
      const run = await pulse([name]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `pulse: error: unknown command ${name}\nusage: pulse COMMAND [OPTIONS]\n`,
      );
    }
  });
});
