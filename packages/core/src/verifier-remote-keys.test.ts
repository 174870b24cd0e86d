import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ISSUER, mintInput, READ_X } from "../test/forge.js";
import type { PublicJwks } from "./index.js";
import { createVerifier, exportJwks, generateSigningKey, mint, noRevocation } from "./index.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serveJwks(jwks: () => PublicJwks | undefined) {
  const hits = { count: 0 };
  server = createServer((_req, res) => {
    hits.count += 1;
    const body = jwks();
    if (body === undefined) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, hits };
}

const outcome = (d: { outcome: string; reason?: string }) => d.reason ?? d.outcome;

describe("verifier with a remote JWKS", () => {
  it("verifies, and picks up a rotated key after the cooldown", async () => {
    const first = await generateSigningKey();
    const second = await generateSigningKey();
    let published = exportJwks([first]);
    const { url, hits } = await serveJwks(() => published);
    const verifier = await createVerifier({
      keys: { url, cooldownMs: 0 },
      issuer: ISSUER,
      audience: "s3",
      revocation: noRevocation(),
    });

    expect(outcome(await verifier.check(await mint(mintInput, first), READ_X))).toBe("allow");
    published = exportJwks([second, first]);
    expect(outcome(await verifier.check(await mint(mintInput, second), READ_X))).toBe("allow");
    expect(hits.count).toBe(2);
  });

  it("key-server-down denies with bad-signature instead of throwing", async () => {
    const key = await generateSigningKey();
    const { url } = await serveJwks(() => undefined);
    const verifier = await createVerifier({
      keys: { url, timeoutMs: 2000 },
      issuer: ISSUER,
      audience: "s3",
      revocation: noRevocation(),
    });
    expect(outcome(await verifier.check(await mint(mintInput, key), READ_X))).toBe("bad-signature");
  });
});
