import { generateSigningKey, mint, parseClaims } from "@pulse/core";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { evaluate, loadPolicy } from "./index.js";

const root = fileURLToPath(new URL("../../../examples/policies/", import.meta.url));

test("every capability the evaluator issues is a valid claim set for core's mint", async () => {
  const policy = await loadPolicy(root, { now: new Date("2026-12-04T12:00:00Z") });
  const time = new Date("2027-01-05T02:00:00Z"); // Tuesday 02:00 UTC, 03:00 in Berlin
  const asks = [
    {
      id: "svc:backup",
      cls: "service",
      ip: "10.40.8.9",
      res: "pg://appdb/public.orders",
      act: "read",
    },
    {
      id: "svc:reporting",
      cls: "service",
      ip: "10.20.1.1",
      res: "s3://acme-reports/team-a/x.csv",
      act: "write",
    },
    {
      id: "mei@acme.example",
      cls: "human",
      ip: "192.168.77.5",
      res: "vault://secret/appdb/root",
      act: "admin",
    },
  ] as const;
  const key = await generateSigningKey();

  for (const ask of asks) {
    const result = evaluate(policy, {
      principal: { class: ask.cls, id: ask.id },
      requests: [{ resource: ask.res, action: ask.act }],
      context: {
        sourceIp: ask.ip,
        time,
        flags: { "incident-declared": true },
        artifact: "sha256:9f2c5a0e4b6d8f10213243546576879899aabbccddeeff00112233445566778f",
      },
    });
    if (result.outcome !== "issue") throw new Error(`${ask.id}: ${JSON.stringify(result)}`);

    const { lifetimeSeconds, expiresAt: _expiresAt, ...claims } = result.capability;
    const iat = Math.floor(time.getTime() / 1000);
    const full = {
      iss: "https://broker.test",
      sub: ask.id,
      aud: "test",
      iat,
      nbf: iat,
      exp: iat + lifetimeSeconds,
      jti: "j",
      ...claims,
    };
    expect(parseClaims(JSON.parse(JSON.stringify(full)))).toMatchObject({
      grt: { ver: policy.version },
    });
    await expect(
      mint(
        { iss: "https://broker.test", sub: ask.id, aud: "test", ...claims, lifetimeSeconds },
        key,
      ),
    ).resolves.toMatch(/^ey/);
  }
});
