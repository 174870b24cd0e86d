import type { SecretMetadata, SecretVersionInfo } from "../../secret-store.js";

/** One version's state as kept in a secret's (encrypted) metadata file. */
export interface VersionState {
  readonly created: string;
  readonly deleted?: string;
  readonly destroyed?: true;
}

/** A secret's metadata file, decrypted. */
export interface MetaState {
  readonly current: number;
  readonly created: string;
  readonly updated: string;
  readonly versions: Readonly<Record<string, VersionState>>;
}

/** The state after writing version `version`. */
export function withVersion(meta: MetaState | undefined, version: number, now: string): MetaState {
  return {
    current: version,
    created: meta?.created ?? now,
    updated: now,
    versions: { ...meta?.versions, [version]: { created: now } },
  };
}

/** The state after applying `change` to each of `versions` that exists. */
export function withChanged(
  meta: MetaState,
  versions: readonly number[],
  now: string,
  change: (state: VersionState) => VersionState,
): MetaState {
  const next: Record<string, VersionState> = { ...meta.versions };
  for (const version of versions) {
    const state = next[version];
    if (state !== undefined && state.destroyed !== true) next[version] = change(state);
  }
  return { ...meta, updated: now, versions: next };
}

/** Marks a version soft-deleted at `now`. */
export const markDeleted = (now: string) => (state: VersionState) => ({ ...state, deleted: now });

/** Clears a soft delete. */
export function markRestored(state: VersionState): VersionState {
  return { created: state.created };
}

/** Marks a version destroyed. */
export function markDestroyed(state: VersionState): VersionState {
  return { created: state.created, destroyed: true };
}

/** The public metadata view. */
export function metadataOf(path: string, meta: MetaState): SecretMetadata {
  const versions: SecretVersionInfo[] = Object.entries(meta.versions)
    .map(([version, state]) => ({
      version: Number(version),
      createdTime: state.created,
      ...(state.deleted !== undefined && { deletionTime: state.deleted }),
      destroyed: state.destroyed === true,
    }))
    .sort((a, b) => a.version - b.version);
  return {
    path,
    currentVersion: meta.current,
    createdTime: meta.created,
    updatedTime: meta.updated,
    versions,
  };
}
