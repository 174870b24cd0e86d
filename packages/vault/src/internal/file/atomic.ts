import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

/** The file operations the store uses, replaceable so tests can simulate a crash. */
export interface FileIo {
  open(path: string, flags: string, mode?: number): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

/** Node's own file system. */
export const nodeIo: FileIo = { open, rename, unlink, readFile, mkdir };

/** Flushes a directory entry (a rename or a new file) to disk. */
export async function syncDirectory(io: FileIo, directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await io.open(directory, "r");
    await handle.sync();
  } catch (error) {
    // Some platforms cannot open or fsync a directory (Windows); the rename itself is atomic.
    if (!isUnsupported(error)) throw error;
  } finally {
    await handle?.close();
  }
}

function isUnsupported(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "EISDIR" || code === "EPERM" || code === "EINVAL" || code === "EBADF";
}

/**
 * Replaces `directory/name` with `bytes` so that a reader (or a restart after a crash) sees
 * either the old file or the new one, whole: write a temporary file, fsync it, rename it over
 * the target, fsync the directory.
 */
export async function writeAtomically(
  io: FileIo,
  directory: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const temporary = join(directory, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await io.open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }

  try {
    await io.rename(temporary, join(directory, name));
  } catch (error) {
    await io.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(io, directory);
}
