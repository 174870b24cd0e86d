// Wraps a store and counts the calls that reach it, to show that a refused call sent nothing.
import type { SecretStore } from "../../src/index.js";

export interface CountingStore extends SecretStore {
  readonly calls: string[];
}

export function countingStore(inner: SecretStore): CountingStore {
  const calls: string[] = [];
  const counted = <K extends keyof SecretStore>(name: K) =>
    ((...args: unknown[]) => {
      calls.push(`${String(name)}:${String(args[0])}`);
      return (inner[name] as (...a: unknown[]) => unknown)(...args);
    }) as never;
  return {
    kind: `counting:${inner.kind}`,
    calls,
    get: counted("get"),
    getMany: counted("getMany"),
    put: counted("put"),
    delete: counted("delete"),
    undelete: counted("undelete"),
    destroy: counted("destroy"),
    list: counted("list"),
    metadata: counted("metadata"),
  };
}
