import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SecretConflictError, SecretNotFoundError, PulseVaultError } from "../../errors.js";
import type {
  CallOptions,
  DeleteOptions,
  GetOptions,
  PutOptions,
  SecretMetadata,
  SecretRecord,
  SecretStore,
  SecretValue,
  SecretWriteResult,
  VersionsOptions,
} from "../../secret-store.js";
import { throwIfAborted } from "../abort.js";
import { listingPrefix, oneLevel, secretPath } from "../path.js";
import { casValue, secretValue, versionNumber, versionNumbers } from "../value.js";
import type { FileIo } from "./atomic.js";
import { syncDirectory, writeAtomically } from "./atomic.js";
import type { BlobBinding } from "./envelope.js";
import { open, seal } from "./envelope.js";
import type { StoreKey } from "./key.js";
import type { MetaState, VersionState } from "./meta.js";
import * as meta from "./meta.js";

// One directory per secret under `secrets/`, named by the base64url of its path (file names
// are limited to 255 bytes, hence the limit on path length).
const MAX_DIR_NAME = 255;
const META_FILE = "meta.pvs";

interface StoredValue {
  readonly t: "text" | "json";
  readonly v: SecretValue;
}

/** The embedded encrypted file store. Build it with `createFileSecretStore`. */
export class FileSecretStore implements SecretStore {
  readonly kind = "file";
  readonly #root: string;
  readonly #key: Promise<StoreKey>;
  readonly #io: FileIo;
  readonly #now: () => Date;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(directory: string, key: Promise<StoreKey>, io: FileIo, now: () => Date) {
    this.#root = join(directory, "secrets");
    this.#key = key;
    this.#io = io;
    this.#now = now;
    // Surfaces a bad key on first use, not as an unhandled rejection now.
    key.catch(() => undefined);
  }

  async get(path: string, options: GetOptions = {}): Promise<SecretRecord> {
    const dir = this.#dir(path);
    await this.#ready(options);

    const state = await this.#readMeta(path, dir);
    const version = options.version === undefined ? state.current : versionNumber(options.version);
    const info = state.versions[version];
    visible(path, version, info);

    const blob = await this.#read(join(dir, versionFile(version)), path, version);
    const plain = open(await this.#key, { kind: "version", path, version }, blob);
    const stored = JSON.parse(plain.toString("utf8")) as StoredValue;
    return { path, version, value: stored.v, createdTime: info!.created };
  }

  async getMany(paths: readonly string[], options: CallOptions = {}) {
    if (!Array.isArray(paths)) throw invalidOptions("paths must be a list");
    const records: SecretRecord[] = [];
    for (const path of paths) records.push(await this.get(path, options));
    return records;
  }

  async put(path: string, value: SecretValue, options: PutOptions = {}) {
    const dir = this.#dir(path);
    const checked = secretValue(value);
    const cas = casValue(options.cas);
    await this.#ready(options);

    return this.#serial(path, async (): Promise<SecretWriteResult> => {
      const state = await this.#readMeta(path, dir, true);
      const current = state?.current ?? 0;
      if (cas !== undefined && cas !== current) {
        throw new SecretConflictError(
          path,
          `check-and-set ${cas} but current version is ${current}`,
        );
      }

      const version = current + 1;
      const createdTime = this.#now().toISOString();
      const stored: StoredValue = { t: typeof checked === "string" ? "text" : "json", v: checked };
      await this.#ensureDir(dir);
      // The version file first, then the metadata that makes it current: a crash in between
      // leaves the previous version current and whole.
      const binding = { kind: "version", path, version } as const;
      await this.#write(dir, versionFile(version), binding, JSON.stringify(stored));
      await this.#writeMeta(path, dir, meta.withVersion(state, version, createdTime));
      return { path, version, createdTime };
    });
  }

  async delete(path: string, options: DeleteOptions = {}): Promise<void> {
    const versions = versionNumbers(options.versions, false);
    const now = this.#now().toISOString();
    await this.#change(path, options, (state) =>
      meta.withChanged(state, versions ?? [state.current], now, meta.markDeleted(now)),
    );
  }

  async undelete(path: string, options: VersionsOptions): Promise<void> {
    const versions = versionNumbers(options?.versions, true)!;
    const now = this.#now().toISOString();
    await this.#change(path, options, (state) =>
      meta.withChanged(state, versions, now, meta.markRestored),
    );
  }

  async destroy(path: string, options: VersionsOptions): Promise<void> {
    const versions = versionNumbers(options?.versions, true)!;
    const now = this.#now().toISOString();
    const dir = this.#dir(path);
    await this.#change(path, options, (state) =>
      meta.withChanged(state, versions, now, meta.markDestroyed),
    );
    for (const version of versions) {
      await this.#io.unlink(join(dir, versionFile(version))).catch(ignoreMissing);
    }
  }

  async list(path: string, options: CallOptions = {}): Promise<readonly string[]> {
    const prefix = listingPrefix(path);
    await this.#ready(options);

    let names: string[];
    try {
      names = await readdir(this.#root);
    } catch (error) {
      ignoreMissing(error);
      return [];
    }
    const paths = names.flatMap((name) => {
      const decoded = Buffer.from(name, "base64url").toString("utf8");
      const exact = Buffer.from(decoded, "utf8").toString("base64url") === name;
      return exact && decoded.startsWith(prefix) ? [decoded] : [];
    });
    // A secret whose first write crashed before its metadata landed does not exist yet.
    const existing = await Promise.all(paths.map((p) => this.#hasMeta(p)));
    return oneLevel(
      prefix,
      paths.filter((_, i) => existing[i]),
    );
  }

  async metadata(path: string, options: CallOptions = {}): Promise<SecretMetadata> {
    const dir = this.#dir(path);
    await this.#ready(options);
    return meta.metadataOf(path, await this.#readMeta(path, dir));
  }

  async #change(path: string, options: CallOptions, change: (state: MetaState) => MetaState) {
    const dir = this.#dir(path);
    await this.#ready(options);
    await this.#serial(path, async () => {
      const state = await this.#readMeta(path, dir);
      await this.#writeMeta(path, dir, change(state));
    });
  }

  // A bad key fails every call, even one on a secret that does not exist.
  async #ready(options: CallOptions): Promise<void> {
    throwIfAborted(options.signal);
    await this.#key;
    throwIfAborted(options.signal);
  }

  #dir(path: string): string {
    const name = Buffer.from(secretPath(path), "utf8").toString("base64url");
    if (name.length > MAX_DIR_NAME) {
      const message =
        "secret path longer than the file store allows " + `(${name.length} > 255 after encoding)`;
      throw new PulseVaultError("ERR_PULSE_VAULT_INVALID_PATH", message);
    }
    return join(this.#root, name);
  }

  // Writes to one secret run one after another in this process (check-and-set needs it).
  async #serial<T>(path: string, work: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(path) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.#queues.set(path, settled);
    try {
      return await run;
    } finally {
      if (this.#queues.get(path) === settled) this.#queues.delete(path);
    }
  }

  async #readMeta(path: string, dir: string): Promise<MetaState>;
  async #readMeta(path: string, dir: string, optional: true): Promise<MetaState | undefined>;
  async #readMeta(path: string, dir: string, optional = false) {
    let blob: Buffer;
    try {
      blob = await this.#io.readFile(join(dir, META_FILE));
    } catch (error) {
      ignoreMissing(error);
      if (optional) return undefined;
      throw new SecretNotFoundError(path);
    }
    const plain = open(await this.#key, { kind: "meta", path }, blob);
    return JSON.parse(plain.toString("utf8")) as MetaState;
  }

  async #hasMeta(path: string): Promise<boolean> {
    try {
      await stat(join(this.#dir(path), META_FILE));
      return true;
    } catch (error) {
      ignoreMissing(error);
      return false;
    }
  }

  async #read(file: string, path: string, version: number): Promise<Buffer> {
    try {
      return await this.#io.readFile(file);
    } catch (error) {
      ignoreMissing(error);
      const message = `secret ${JSON.stringify(path)} version ${version}: its file is missing`;
      throw new PulseVaultError("ERR_PULSE_VAULT_TAMPERED", message, { cause: error });
    }
  }

  async #writeMeta(path: string, dir: string, state: MetaState): Promise<void> {
    await this.#write(dir, META_FILE, { kind: "meta", path }, JSON.stringify(state));
  }

  async #write(dir: string, name: string, binding: BlobBinding, text: string): Promise<void> {
    const blob = seal(await this.#key, binding, Buffer.from(text, "utf8"));
    await writeAtomically(this.#io, dir, name, blob);
  }

  async #ensureDir(dir: string): Promise<void> {
    // `created` is the first directory made; the entry naming it lives in its parent.
    const created = await this.#io.mkdir(dir, { recursive: true, mode: 0o700 });
    if (typeof created === "string") await syncDirectory(this.#io, dirname(created));
  }
}

function versionFile(version: number): string {
  return `v${version}.pvs`;
}

function visible(path: string, version: number, info: VersionState | undefined): void {
  if (info === undefined) throw new SecretNotFoundError(path, "missing", version);
  if (info.destroyed === true) throw new SecretNotFoundError(path, "destroyed", version);
  if (info.deleted !== undefined) throw new SecretNotFoundError(path, "deleted", version);
}

function ignoreMissing(error: unknown): void {
  if ((error as { code?: unknown })?.code !== "ENOENT") throw error;
}

function invalidOptions(message: string): PulseVaultError {
  return new PulseVaultError("ERR_PULSE_VAULT_INVALID_OPTIONS", message);
}
