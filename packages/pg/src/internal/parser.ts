import type { ParseResult } from "libpg-query";
import { loadModule, parseSync } from "libpg-query";

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the WASM build of the Postgres parser once per process. */
export function loadParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

/** True once {@link loadParser} has finished. */
export function parserLoaded(): boolean {
  return loaded;
}

/** Parses `text` with the real Postgres grammar. Throws what the parser throws. */
export function parseSql(text: string): ParseResult {
  return parseSync(text);
}
