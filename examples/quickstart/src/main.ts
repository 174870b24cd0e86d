// The PULSE story on embedded defaults: one in-process broker key, then one chapter per data
// store. Each chapter prints its decisions as a table; the audit log is written to a file.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJwks, generateSigningKey, MemoryRevocationList, mint } from "@pulse/core";
import { fileAuditSink } from "@pulse/core/node";
import type { Chapter, StoryContext, StoryRow } from "./story.js";
import { outcomeOf } from "./story.js";
import { chapters } from "./chapters/index.js";

const ISSUER = "https://broker.pulse.local";
const AUDIT_FILE = process.env["PULSE_DEMO_AUDIT"] ?? join(process.cwd(), "pulse-audit.jsonl");

const LEGEND = `PULSE demo: every row is one operation checked against a capability token.
  allow        the token covers it; the operation ran
  deny         refused before anything was sent; the reason is the verifier's reason code
  shadow-deny  shadow mode: the operation ran, and the audit log records what would be denied`;

function printTable(title: string, summary: readonly string[], rows: readonly StoryRow[]): void {
  const headers = ["step", "operation", "resource", "outcome", "reason"] as const;
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(`\n== ${title}\n`);
  for (const line of summary) console.log(`   ${line}`);
  console.log("");
  console.log(line(headers));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(headers.map((h) => String(row[h]))));
}

async function runChapter(chapter: Chapter, base: Omit<StoryContext, "attempt" | "record">) {
  const rows: StoryRow[] = [];
  const story: StoryContext = {
    ...base,
    record: (row) => rows.push(row),
    attempt: async (step, operation, resource, fn) => {
      let failure: unknown;
      try {
        await fn();
      } catch (error) {
        failure = error;
      }
      rows.push({ step, operation, resource, ...outcomeOf(failure) });
    },
  };
  await chapter.run(story);
  printTable(chapter.title, chapter.summary, rows);
  return rows;
}

async function main(): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), "pulse-demo-"));
  await rm(AUDIT_FILE, { force: true });
  const audit = fileAuditSink(AUDIT_FILE);
  const key = await generateSigningKey();
  const base = {
    issuer: ISSUER,
    key,
    jwks: exportJwks([key]),
    // The in-process broker is the authority for its own revocations, so this list is never stale.
    revocations: new MemoryRevocationList({ maxStalenessMs: Number.POSITIVE_INFINITY }),
    audit,
    workDir,
    mint: (...[input, options]: Parameters<StoryContext["mint"]>) =>
      mint({ ...input, iss: ISSUER }, key, options),
  };

  console.log(LEGEND);
  let errors = 0;
  try {
    for (const chapter of chapters) {
      const rows = await runChapter(chapter, base);
      errors += rows.filter((r) => r.outcome === "error").length;
    }
  } finally {
    await audit.close();
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(`\nAudit log: ${AUDIT_FILE}`);
  return errors === 0 ? 0 : 1;
}

process.exitCode = await main();
