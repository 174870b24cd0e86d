import type { FastifyInstance } from "fastify";
import Fastify from "fastify";
import type { PublicJwks, SigningKey } from "@pulse/core";
import { generateSigningKey, silentLogger } from "@pulse/core";
import type { Broker, BrokerOptions, RevocationAdmin } from "../broker.js";
import { PulseBrokerError } from "../errors.js";
import { DEVELOPMENT_ISSUER } from "../identity.js";
import { openStore } from "../store.js";
import { Authenticator } from "./authenticate.js";
import { trustedProxyProblem } from "./client-address.js";
import type { BrokerDeps } from "./context.js";
import { KeyRing } from "./keyring.js";
import { errorHandler } from "./problem.js";
import { jwksRoutes } from "./routes-jwks.js";
import { revocationRoutes } from "./routes-revocations.js";
import { resolveRevocationAdmins } from "./revocation-admins.js";
import { PRINTABLE_TEXT, isPrintableText } from "./schemas.js";
import { tokenRoutes } from "./routes-tokens.js";
import { PUBLISH_WAIT_MS } from "./routes-revocations.js";
import { within } from "./within.js";

function check(condition: boolean, message: string): void {
  if (!condition) throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", message);
}

function validate(options: BrokerOptions): void {
  check(typeof options?.issuer === "string" && options.issuer !== "", "issuer is required");

  check(typeof options.policy?.evaluate === "function", "policy.evaluate is required");

  check(typeof options.policy.set?.version === "string", "policy.set.version is required");

  check(typeof options.identity === "object" && options.identity !== null, "identity is required");

  const max = options.maxLifetimeSeconds ?? 900;
  check(Number.isSafeInteger(max) && max > 0 && max <= 3600, "maxLifetimeSeconds: 1 to 3600");

  const reserved = (options.identity.issuers ?? []).some((i) => i.issuer === DEVELOPMENT_ISSUER);
  check(!reserved, `identity issuer "${DEVELOPMENT_ISSUER}" is reserved for development keys`);

  const dev = options.identity.development;
  check(dev === undefined || typeof dev.enabled === "boolean", "development.enabled must be set");

  const proxies: readonly unknown[] = options.trustedProxies ?? [];
  check(Array.isArray(proxies), "trustedProxies must be an array of CIDR ranges");
  for (const entry of proxies) {
    const problem = trustedProxyProblem(entry);
    check(problem === undefined, `trustedProxies entry ${JSON.stringify(entry)} ${problem}`);
  }
}

/** The broker behind {@link createBroker}: a Fastify app plus its started dependencies. */
export class BrokerService implements Broker {
  readonly #options: BrokerOptions;
  readonly #admins: readonly RevocationAdmin[];
  readonly #app: FastifyInstance;
  #deps: BrokerDeps | undefined;
  #url = "";
  #ownsStore = false;

  constructor(options: BrokerOptions) {
    validate(options);
    this.#admins = resolveRevocationAdmins(options.revocationAdmins ?? [], options.identity);
    this.#options = options;
    this.#app = Fastify({
      logger: false,
      bodyLimit: options.bodyLimitBytes ?? 16_384,
      ajv: {
        customOptions: {
          removeAdditional: false,
          coerceTypes: false,
          allErrors: false,
          formats: { [PRINTABLE_TEXT]: isPrintableText },
        },
      },
      return503OnClosing: true,
    });
    this.#app.removeContentTypeParser("text/plain");
    this.#app.setErrorHandler(errorHandler(options.logger ?? silentLogger));
    const deps = () => this.#started();
    tokenRoutes(this.#app, deps);
    revocationRoutes(this.#app, deps);
    jwksRoutes(this.#app, deps);
  }

  get url(): string {
    return this.#url;
  }

  async listen(at: { readonly host: string; readonly port: number }): Promise<string> {
    if (this.#deps !== undefined)
      throw new PulseBrokerError("ERR_PULSE_BROKER_STATE", "already listening");

    this.#deps = await this.#start();
    await Promise.all(
      this.#deps.publishers.map((p) =>
        within(p.start?.() ?? Promise.resolve(), PUBLISH_WAIT_MS, "publisher start").catch(
          (error: unknown) => {
            this.#deps?.logger.warn?.("revocation publisher cannot connect yet", {
              error: String(error),
            });
          },
        ),
      ),
    );
    this.#url = await this.#app.listen({ host: at.host, port: at.port });
    if (this.#deps.authenticator.developmentKeysOn) {
      this.#deps.logger.warn?.(
        "static development identity keys are ON: anyone holding one gets tokens. " +
          "Never use outside development.",
        { url: this.#url },
      );
    }
    return this.#url;
  }

  async close(): Promise<void> {
    await this.#app.close();
    const deps = this.#deps;
    this.#deps = undefined;
    if (deps === undefined) return;

    await Promise.allSettled(deps.publishers.map((p) => p.close()));
    if (this.#ownsStore) await deps.store.close();
  }

  async rotateKeys(): Promise<{ readonly kid: string }> {
    const deps = this.#started();
    const key = await deps.keys.rotate((kid) => deps.store.lastExpiryByKey(kid));
    deps.logger.info?.("signing key rotated", { kid: key.kid });
    return { kid: key.kid };
  }

  jwks(): PublicJwks {
    const deps = this.#started();
    return { keys: deps.keys.published(Math.floor(deps.now() / 1000)) };
  }

  #started(): BrokerDeps {
    if (this.#deps === undefined)
      throw new PulseBrokerError("ERR_PULSE_BROKER_STATE", "not started");
    return this.#deps;
  }

  async #start(): Promise<BrokerDeps> {
    const options = this.#options;
    const store =
      options.store ??
      (await openStore(options.storeUrl === undefined ? {} : { url: options.storeUrl }));
    this.#ownsStore = options.store === undefined;

    const list: readonly SigningKey[] =
      options.keys === undefined
        ? [await generateSigningKey()]
        : ([] as SigningKey[]).concat(options.keys);
    check(list.length > 0, "keys must not be empty");
    const keys = new KeyRing(list[0]!, options.clockToleranceSeconds ?? 30);
    await keys.init(list.slice(1), (kid) => store.lastExpiryByKey(kid));

    return {
      options,
      policy: options.policy,
      store,
      keys,
      authenticator: new Authenticator(options.identity),
      publishers: options.publishers ?? [],
      revocationAdmins: this.#admins,
      logger: options.logger ?? silentLogger,
      now: options.now ?? Date.now,
      maxLifetimeSeconds: options.maxLifetimeSeconds ?? 900,
      jwksMaxAgeSeconds: options.jwksMaxAgeSeconds ?? 300,
    };
  }
}
