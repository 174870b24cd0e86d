import { describe, expect, it } from "vitest";
import { mintInput, READ_X, setup } from "../test/forge.js";
import {
  exportJwks,
  exportSigningKey,
  generateSigningKey,
  importKeySet,
  importSigningKey,
  mint,
} from "./index.js";

const code = async (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e.code,
  );

describe("keys", () => {
  it("a signing key does not print its private key", async () => {
    const key = await generateSigningKey();
    expect(JSON.stringify(key)).not.toContain("privateKey");
    expect(Object.keys(key)).not.toContain("privateKey");
  });

  it("export then import keeps the key usable", async () => {
    const key = await generateSigningKey({ extractable: true });
    const again = await importSigningKey(await exportSigningKey(key));
    expect(again.kid).toBe(key.kid);
    const { verifier } = await setup({ keys: exportJwks([key]) });
    expect((await verifier.check(await mint(mintInput, again), READ_X)).outcome).toBe("allow");
  });

  it("a non-extractable key cannot be exported", async () => {
    expect(await code(exportSigningKey(await generateSigningKey()))).toBe("ERR_PULSE_INVALID_KEY");
  });

  it.each([
    ["symmetric", { kty: "oct", k: "c2VjcmV0", kid: "h", alg: "HS256" }],
    [
      "no kid",
      {
        kty: "OKP",
        crv: "Ed25519",
        x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
        alg: "EdDSA",
      },
    ],
    ["rsa alg", { kty: "RSA", n: "AQAB", e: "AQAB", kid: "r", alg: "RS256" }],
  ])("importKeySet refuses a %s key", async (_name, jwk) => {
    expect(await code(importKeySet({ keys: [jwk] }))).toBe("ERR_PULSE_INVALID_KEY");
  });

  it("importKeySet refuses private material and duplicate kids", async () => {
    const key = await generateSigningKey({ extractable: true });
    const priv = await exportSigningKey(key);
    expect(await code(importKeySet({ keys: [priv] }))).toBe("ERR_PULSE_INVALID_KEY");
    const twice = { keys: [key.publicJwk, key.publicJwk] };
    expect(await code(importKeySet(twice))).toBe("ERR_PULSE_INVALID_KEY");
    expect(await code(importKeySet({ keys: [] }))).toBe("ERR_PULSE_INVALID_KEY");
    expect(await code(importKeySet(null))).toBe("ERR_PULSE_INVALID_KEY");
  });
});

describe("mint", () => {
  it("refuses claims a verifier would call malformed", async () => {
    const key = await generateSigningKey();
    const bad = [
      { ...mintInput, cap: [{ res: "s3://*", act: ["read"] }] },
      { ...mintInput, cap: [{ res: "s3://acme/a/*", act: ["read", "read"] }] },
      { ...mintInput, ctx: { cidr: ["010.0.0.0/8"] } },
      {
        ...mintInput,
        ctx: { window: { tz: "Nowhere/X", days: ["mon"], start: "08:00", end: "09:00" } },
      },
      { ...mintInput, jus: { ref: "", txt: "x" } },
      { ...mintInput, lifetimeSeconds: 86_400 },
    ];
    for (const input of bad) {
      expect(await code(mint(input as typeof mintInput, key))).toBe("ERR_PULSE_INVALID_CLAIMS");
    }
  });

  it("writes the PULSE header", async () => {
    const key = await generateSigningKey();
    const token = await mint(mintInput, key);
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString());
    expect(header).toEqual({ alg: "EdDSA", typ: "pulse+jwt", kid: key.kid });
  });
});
