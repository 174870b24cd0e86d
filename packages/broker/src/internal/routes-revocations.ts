import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Revocation } from "@pulse/core";
import type { BrokerDeps } from "./context.js";
import { audit } from "./context.js";
import { problem } from "./problem.js";
import { isRevocationAdmin } from "./revocation-admins.js";
import { within } from "./within.js";
import type { RevocationRequestBody } from "./schemas.js";
import { revocationQuerySchema, revocationRequestSchema } from "./schemas.js";

const DEFAULT_PAGE = 500;

/** Longest wait for one publisher; past it the push is given up and verifiers poll. */
export const PUBLISH_WAIT_MS = 2000;

/** `POST /v1/revocations` (admins only) and `GET /v1/revocations?since=` (pull). */
export function revocationRoutes(app: FastifyInstance, deps: () => BrokerDeps): void {
  app.post<{ Body: RevocationRequestBody }>(
    "/v1/revocations",
    { schema: { body: revocationRequestSchema } },
    (request, reply) => revoke(deps(), request, reply),
  );
  app.get<{ Querystring: { since?: string; limit?: string } }>(
    "/v1/revocations",
    { schema: { querystring: revocationQuerySchema } },
    async (request, reply) => {
      const d = deps();
      const limit = Math.min(Number(request.query.limit ?? DEFAULT_PAGE), DEFAULT_PAGE);
      const since = request.query.since ?? "0";
      const [page, log] = await Promise.all([
        d.store.revocationsSince(since, limit),
        d.store.revocationLog(),
      ]);
      // A `since` past the newest cursor was handed out by another epoch of the log (a store
      // that was reset or restored); answering the newest cursor, below `since`, says so.
      const newest = BigInt(since) > BigInt(log.cursor) ? log.cursor : since;
      return reply.header("cache-control", "no-store").send({
        issuer: d.options.issuer,
        epoch: log.epoch,
        revocations: page,
        cursor: page.at(-1)?.cursor ?? newest,
        complete: page.length < limit,
      });
    },
  );
  app.addHook("onReady", async () => {
    const d = deps();
    if (d.store.durable) return;
    d.logger.warn?.(
      "the broker's store is in memory: a restart loses every revocation, and tokens revoked " +
        "before it are accepted again until they expire. Set a PostgreSQL URL or a data directory.",
    );
  });
}

async function revoke(
  deps: BrokerDeps,
  request: FastifyRequest<{ Body: RevocationRequestBody }>,
  reply: FastifyReply,
) {
  const auth = await deps.authenticator.authenticate(request.headers.authorization);
  if (!auth.ok) {
    const reasons = [{ code: "identity", detail: auth.detail }];
    await audit(deps, { event: "identity-rejected", reasons, detail: { endpoint: "revocations" } });
    reply.header("www-authenticate", 'Bearer error="invalid_token"');
    return problem(reply, 401, "invalid_token", auth.detail);
  }

  const caller = auth.identity;
  const admin = caller.principal.id;
  const vouched = { issuer: caller.issuer, principalClass: caller.principal.class };
  if (!isRevocationAdmin(deps.revocationAdmins, caller)) {
    await audit(deps, {
      event: "deny",
      principal: admin,
      reasons: [{ code: "not-revocation-admin", detail: "may not revoke" }],
      detail: { endpoint: "revocations", ...vouched },
    });
    return problem(reply, 403, "access_denied", "this principal may not revoke");
  }

  const revocation = toRevocation(deps, request.body);
  const stored = await deps.store.addRevocation(revocation);
  await audit(deps, {
    event: "revoke",
    principal: admin,
    ...("grantId" in revocation && { grantId: revocation.grantId }),
    detail: { revocation, cursor: stored.cursor, reason: request.body.reason ?? null, ...vouched },
  });

  await Promise.all(
    deps.publishers.map((p) =>
      within(p.publish(stored), PUBLISH_WAIT_MS, "revocation push").catch((error: unknown) => {
        deps.logger.warn?.("revocation push failed; verifiers will catch up by polling", {
          error: String(error),
        });
      }),
    ),
  );
  return reply.code(201).header("cache-control", "no-store").send(stored);
}

/**
 * Revocations of a principal or a grant cover tokens issued before the end of the current
 * second: token times have whole-second resolution, so a token minted in the same second as the
 * revocation is covered too.
 */
function toRevocation(deps: BrokerDeps, body: RevocationRequestBody): Revocation {
  const iss = deps.options.issuer;
  if (body.jti !== undefined) return { iss, jti: body.jti };

  const issuedBefore = Math.floor(deps.now() / 1000) + 1;
  if (body.principal !== undefined) return { iss, sub: body.principal, issuedBefore };
  return { iss, grantId: body.grant!, issuedBefore };
}
