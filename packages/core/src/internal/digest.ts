type Hasher = (text: string) => Promise<string> | string;

// node:crypto hashes synchronously in about a microsecond; WebCrypto's digest is a promise and
// a threadpool hop. Use the first where the runtime offers it without a static Node import.
function nodeHasher(): Hasher | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeCrypto = proc?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;
  if (nodeCrypto === undefined) return undefined;

  const { hash } = nodeCrypto;
  // The one-shot hash (Node 20.12+) costs half of createHash for a token-sized input.
  if (typeof hash === "function") return (text) => hash("sha256", text, "base64url");
  return (text) => nodeCrypto.createHash("sha256").update(text).digest("base64url");
}

interface NodeCrypto {
  hash?(algorithm: string, text: string, encoding: string): string;
  createHash(algorithm: string): { update(text: string): { digest(encoding: string): string } };
}

async function webHash(text: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** SHA-256 of `text`, encoded as text. Used as a cache key so tokens never key a map. */
export const sha256Text: Hasher = nodeHasher() ?? webHash;
