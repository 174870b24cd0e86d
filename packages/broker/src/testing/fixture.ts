// A broker on 127.0.0.1 with a test identity provider and a small policy, shared by the
// broker's integration tests (PostgreSQL when PULSE_PG_URL is set, PGlite otherwise).
import type { Logger } from "@pulse/core";
import type { Broker } from "../broker.js";
import { createBroker } from "../broker.js";
import type { BrokerStore } from "../store.js";
import { openStore } from "../store.js";
import type { TestIdentityProvider } from "./identity-provider.js";
import { testIdentityProvider } from "./identity-provider.js";
import { grant, testPolicy } from "./policy.js";

export const ISSUER = "https://broker.test";
export const ARTIFACT = `sha256:${"a".repeat(64)}`;

export interface Fixture {
  readonly idp: TestIdentityProvider;
  readonly store: BrokerStore;
  readonly broker: Broker;
  readonly warnings: string[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  askToken(sub: string, body: unknown, claims?: Record<string, unknown>): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export async function startFixture(): Promise<Fixture> {
  const idp = await testIdentityProvider();
  const store = await openStore(process.env.PULSE_PG_URL ? { url: process.env.PULSE_PG_URL } : {});
  const warnings: string[] = [];
  const logger: Logger = { warn: (m) => void warnings.push(m) };
  const network = 'network ["10.0.0.0/8"]';
  const broker = createBroker({
    issuer: ISSUER,
    store,
    logger,
    policy: testPolicy(
      grant(
        "reports",
        "svc:reporting",
        'resources ["s3://acme/team-a/*"]\n  actions [read, list]',
      ) +
        grant(
          "local-only",
          "svc:local",
          `resources ["s3://acme/x/*"]\n  actions [read]\n  ${network}`,
        ) +
        grant(
          "stepper",
          "svc:stepper",
          `resources ["s3://acme/s/*"]\n  actions [read]\n  ${network}\n  step-up on [network]`,
        ) +
        grant(
          "built",
          "svc:built",
          `resources ["s3://acme/b/*"]\n  actions [read]\n  artifact "${ARTIFACT}"`,
        ),
    ),
    identity: {
      issuers: [idp.issuer],
      development: {
        enabled: true,
        identities: [{ principal: { class: "human", id: "alice" }, secret: "dev-secret-alice" }],
      },
    },
    revocationAdmins: [
      { issuer: idp.issuer.issuer, principalClass: "service", id: "svc:security" },
    ],
  });
  await broker.listen({ host: "127.0.0.1", port: 0 });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${broker.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
  };
  const askToken = async (sub: string, body: unknown, claims?: Record<string, unknown>) =>
    post("/v1/tokens", body, { authorization: `Bearer ${await idp.assertion(sub, claims)}` });

  return {
    idp,
    store,
    broker,
    warnings,
    post,
    askToken,
    close: async () => {
      await broker.close();
      await store.close();
    },
  };
}

/** One read request covered by the `reports` grant. */
export const read = {
  audience: "s3",
  requests: [{ resource: "s3://acme/team-a/r.csv", action: "read" as const }],
};
