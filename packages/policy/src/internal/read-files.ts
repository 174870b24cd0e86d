import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Diagnostic } from "../errors.js";
import { PolicyError } from "../errors.js";
import { fileDiagnostic } from "./compile-set.js";
import { resolveInclude } from "./includes.js";
import { parseDocument } from "./parse-document.js";

/** Most files a policy set may have. */
const MAX_FILES = 10_000;
/** Largest policy file read, in bytes (the parser refuses longer texts anyway). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface ReadResult {
  readonly sources: Array<{ file: string; text: string }>;
  readonly refused: Map<string, string>;
  readonly problems: Diagnostic[];
}

/** Reads the top-level `*.pulse` files of `root` and, transitively, what they include. */
export async function readPolicyFiles(root: string): Promise<ReadResult> {
  let realRoot: string;
  let entries: string[];
  try {
    realRoot = await realpath(root);
    entries = (await readdir(realRoot, { withFileTypes: true }))
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith(".pulse"))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const why = `cannot read policy directory: ${(error as NodeJS.ErrnoException).code ?? "error"}`;
    throw new PolicyError("ERR_PULSE_POLICY_IO", [fileDiagnostic(root, why, "io")], {
      cause: error,
    });
  }

  const result: ReadResult = { sources: [], refused: new Map(), problems: [] };
  const queued = new Set(entries);
  const queue = [...entries];
  while (queue.length > 0 && result.sources.length < MAX_FILES) {
    const file = queue.shift()!;
    const text = await readInside(realRoot, file, result);
    if (text === undefined) continue;
    result.sources.push({ file, text });
    for (const include of includesOf(text, file)) {
      const target = resolveInclude(file, include).file;
      if (target !== undefined && !queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
  }
  if (queue.length > 0) {
    const why = `a policy set has at most ${MAX_FILES} files`;
    result.problems.push(fileDiagnostic(queue[0]!, why, "io"));
  }

  for (const file of entries) {
    const why = result.refused.get(file);
    if (why !== undefined) result.problems.push(fileDiagnostic(file, why, "include-outside-root"));
  }
  return result;
}

async function readInside(realRoot: string, file: string, result: ReadResult) {
  let real: string;
  try {
    real = await realpath(join(realRoot, ...file.split("/")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    result.problems.push(fileDiagnostic(file, "cannot resolve policy file", "io"));
    return undefined;
  }

  const inside = relative(realRoot, real);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || inside.startsWith(sep)) {
    result.refused.set(file, `${file} resolves outside the policy root`);
    return undefined;
  }

  try {
    if ((await stat(real)).size > MAX_FILE_BYTES) {
      result.problems.push(
        fileDiagnostic(file, `policy file larger than ${MAX_FILE_BYTES} bytes`, "io"),
      );
      return undefined;
    }
    return await readFile(real, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    result.problems.push(fileDiagnostic(file, `cannot read policy file: ${code}`, "io"));
    return undefined;
  }
}

function includesOf(text: string, file: string): string[] {
  try {
    return parseDocument(text, file).declarations.flatMap((d) =>
      d.kind === "include" ? [d.path.value] : [],
    );
  } catch {
    return [];
  }
}
