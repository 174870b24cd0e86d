import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addKeyFile, loadKeyDirectory } from "./key-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulse-keys-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const passphrase = "correct horse battery";

describe("loadKeyDirectory", () => {
  it("creates a key in an empty directory, encrypted, and loads it back", async () => {
    const [created] = await loadKeyDirectory(dir, passphrase);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const text = await readFile(join(dir, files[0]!), "utf8");
    expect(text.split(".")).toHaveLength(5);
    expect(text).not.toContain('"d"');
    // pbes2-iterations: the count must reach the header, not jose's default of 2048.
    const header = JSON.parse(Buffer.from(text.split(".")[0]!, "base64url").toString());
    expect(header).toMatchObject({ alg: "PBES2-HS512+A256KW", enc: "A256GCM", p2c: 310_000 });
    const [loaded] = await loadKeyDirectory(dir, passphrase);
    expect(loaded!.kid).toBe(created!.kid);
  });

  it("the newest file is the current key; older keys follow", async () => {
    const [first] = await loadKeyDirectory(dir, passphrase);
    await new Promise((r) => setTimeout(r, 5));
    const second = await addKeyFile(dir, passphrase);
    const keys = await loadKeyDirectory(dir, passphrase);
    expect(keys.map((k) => k.kid)).toEqual([second.kid, first!.kid]);
  });

  it("wrong-passphrase: ERR_PULSE_BROKER_KEYS, and a short passphrase is refused", async () => {
    await loadKeyDirectory(dir, passphrase);
    await expect(loadKeyDirectory(dir, "another passphrase")).rejects.toMatchObject({
      code: "ERR_PULSE_BROKER_KEYS",
    });
    await expect(loadKeyDirectory(dir, "short")).rejects.toMatchObject({
      code: "ERR_PULSE_BROKER_KEYS",
    });
  });
});
