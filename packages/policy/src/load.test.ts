import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PolicyError } from "./index.js";
import { loadPolicy } from "./index.js";

const now = new Date("2026-12-04T12:00:00Z");
let base: string;

const grant = (id: string, extra = "") => `grant ${id} {
  principal human "ann"
  resources ["s3://acme/${id}/*"]
  actions [read]
  justification "T-1" "Test."
  expires 2027-06-30
  max-lifetime 5m
  ${extra}
}
`;

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const root = join(base, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, ".."), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}

async function refusal(root: string): Promise<PolicyError> {
  try {
    await loadPolicy(root, { now });
  } catch (error) {
    return error as PolicyError;
  }
  throw new Error("expected the policy to be refused");
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "pulse-policy-"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("loadPolicy", () => {
  test("reads top-level files and what they include; other nested files stay out", async () => {
    const root = await tree("ok", {
      "a.pulse": `include "shared/net.pulse"\n${grant("a", "network [@office]")}`,
      "b.pulse": grant("b"),
      "shared/net.pulse": 'group networks @office = ["10.0.0.0/8"]\n',
      "drafts/c.pulse": grant("c"),
      "notes.txt": "not a policy",
    });
    const policy = await loadPolicy(root, { now });
    expect(policy.grants.map((g) => g.id)).toEqual(["a", "b"]);
    expect(policy.grants[0]?.source).toEqual({ file: "a.pulse", line: 2, column: 1 });
  });

  test("an include that climbs out of the root is refused", async () => {
    await tree("outside", { "x.pulse": grant("x") });
    const root = await tree("climb", { "a.pulse": 'include "../outside/x.pulse"\n' });
    const error = await refusal(root);
    expect(error.code).toBe("ERR_PULSE_POLICY_INVALID");
    expect(error.diagnostics[0]).toMatchObject({
      rule: "include-outside-root",
      file: "a.pulse",
      line: 1,
      column: 9,
    });
  });

  test("an include through a symbolic link that leaves the root is refused", async () => {
    const outside = await tree("outside-link", { "x.pulse": grant("x") });
    const root = await tree("linked", { "a.pulse": 'include "shared/x.pulse"\n' });
    await mkdir(join(root, "shared"));
    await symlink(join(outside, "x.pulse"), join(root, "shared", "x.pulse"));
    const error = await refusal(root);
    expect(error.diagnostics[0]).toMatchObject({
      rule: "include-outside-root",
      message: "shared/x.pulse resolves outside the policy root",
      line: 1,
      column: 9,
    });
  });

  test("a top-level symbolic link that leaves the root is refused", async () => {
    const outside = await tree("outside-top", { "x.pulse": grant("x") });
    const root = await tree("top-link", { "a.pulse": grant("a") });
    await symlink(join(outside, "x.pulse"), join(root, "x.pulse"));
    const error = await refusal(root);
    expect(error.diagnostics[0]).toMatchObject({ rule: "include-outside-root", file: "x.pulse" });
  });

  test("an include cycle on disk is refused", async () => {
    const root = await tree("cycle", {
      "a.pulse": 'include "sub/b.pulse"\n',
      "sub/b.pulse": 'include "../a.pulse"\n',
    });
    const error = await refusal(root);
    expect(error.diagnostics[0]).toMatchObject({
      rule: "include-cycle",
      message: "include cycle: a.pulse -> sub/b.pulse -> a.pulse",
    });
  });

  test("a directory that cannot be read is an IO error", async () => {
    const error = await refusal(join(base, "does-not-exist"));
    expect(error.code).toBe("ERR_PULSE_POLICY_IO");
  });

  test("a syntax error is reported with the file's path relative to the root", async () => {
    const root = await tree("syntax", {
      "sub/x.pulse": "grant {",
      "a.pulse": 'include "sub/x.pulse"',
    });
    const error = await refusal(root);
    expect(error.code).toBe("ERR_PULSE_POLICY_SYNTAX");
    expect(error.diagnostics[0]).toMatchObject({ file: "sub/x.pulse", line: 1, column: 7 });
  });
});
