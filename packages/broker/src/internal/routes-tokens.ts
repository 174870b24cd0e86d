import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { mint } from "@pulse/core";
import type { EvaluationRequest, Evaluation } from "../policy-contract.js";
import { sourceAddress } from "./client-address.js";
import type { BrokerDeps } from "./context.js";
import { audit } from "./context.js";
import { problem } from "./problem.js";
import type { TokenRequestBody } from "./schemas.js";
import { tokenRequestSchema } from "./schemas.js";

/** `POST /v1/tokens`: authenticate, evaluate the policy against live context, mint. */
export function tokenRoutes(app: FastifyInstance, deps: () => BrokerDeps): void {
  app.post<{ Body: TokenRequestBody }>(
    "/v1/tokens",
    { schema: { body: tokenRequestSchema } },
    (request, reply) => issue(deps(), request, reply),
  );
}

async function issue(
  deps: BrokerDeps,
  request: FastifyRequest<{ Body: TokenRequestBody }>,
  reply: FastifyReply,
) {
  const auth = await deps.authenticator.authenticate(request.headers.authorization);
  if (!auth.ok) {
    await audit(deps, {
      event: "identity-rejected",
      reasons: [{ code: "identity", detail: auth.detail }],
    });
    reply.header("www-authenticate", 'Bearer error="invalid_token"');
    return problem(reply, 401, "invalid_token", auth.detail);
  }

  const { principal, artifact } = auth.identity;
  const forwarded = request.headers["x-forwarded-for"];
  const address = sourceAddress(
    request.socket.remoteAddress,
    forwarded,
    deps.options.trustedProxies ?? [],
  );
  if (!address.ok) return problem(reply, 400, "bad_request", "caller address cannot be read");

  const now = new Date(deps.now());
  const flags = (await deps.options.flags?.(principal)) ?? {};
  const evaluation = deps.policy.evaluate(deps.policy.set, {
    principal,
    requests: request.body.requests,
    context: {
      sourceIp: address.ip,
      time: now,
      flags,
      ...(artifact !== undefined && { artifact }),
    },
  } satisfies EvaluationRequest);
  const version = deps.policy.set.version;

  if (evaluation.outcome === "deny") {
    await audit(deps, {
      event: "deny",
      principal: principal.id,
      policyVersion: version,
      reasons: evaluation.reasons,
      detail: { sourceIp: address.ip },
    });
    return problem(reply, 403, "access_denied", "no grant allows this request now", {
      reasons: evaluation.reasons,
    });
  }

  if (evaluation.outcome === "step-up") {
    await audit(deps, {
      event: "step-up",
      principal: principal.id,
      grantId: evaluation.grantId,
      policyVersion: version,
      reasons: evaluation.reasons,
    });
    reply.header("www-authenticate", stepUpChallenge(evaluation.reasons));
    return problem(reply, 401, "insufficient_user_authentication", "the grant asks for step-up", {
      grantId: evaluation.grantId,
      reasons: evaluation.reasons,
    });
  }

  return issueToken(deps, reply, evaluation, {
    principalId: principal.id,
    audience: request.body.audience,
    sourceIp: address.ip,
    nowMs: now.getTime(),
  });
}

async function issueToken(
  deps: BrokerDeps,
  reply: FastifyReply,
  evaluation: Extract<Evaluation, { outcome: "issue" }>,
  call: { principalId: string; audience: string; sourceIp: string; nowMs: number },
) {
  const { capability } = evaluation;
  const untilGrantExpiry = Math.floor((capability.expiresAt.getTime() - call.nowMs) / 1000);
  const lifetime = Math.min(capability.lifetimeSeconds, untilGrantExpiry, deps.maxLifetimeSeconds);
  if (!(lifetime > 0)) {
    const reasons = [
      { code: "grant-expired", grantId: evaluation.grantId, detail: "grant expires now" },
    ];
    await audit(deps, {
      event: "deny",
      principal: call.principalId,
      grantId: evaluation.grantId,
      policyVersion: capability.grt.ver,
      reasons,
    });
    return problem(reply, 403, "access_denied", "the grant has expired", { reasons });
  }

  const key = deps.keys.current;
  const jti = crypto.randomUUID();
  const iat = Math.floor(call.nowMs / 1000);
  const token = await mint(
    {
      iss: deps.options.issuer,
      sub: call.principalId,
      aud: call.audience,
      pcl: capability.pcl,
      cap: capability.cap,
      ctx: capability.ctx,
      jus: capability.jus,
      grt: capability.grt,
      lifetimeSeconds: lifetime,
      jti,
    },
    key,
    { now: () => call.nowMs, maxLifetimeSeconds: deps.maxLifetimeSeconds },
  );
  deps.keys.signed(key.kid, iat + lifetime);

  // The issuance log must hold the token before the caller gets it; the audit row goes
  // alongside (a failed audit write is logged, a failed issuance write is a 500).
  await Promise.all([
    deps.store.recordIssuance({
      jti,
      iss: deps.options.issuer,
      sub: call.principalId,
      aud: call.audience,
      grantId: evaluation.grantId,
      policyVersion: capability.grt.ver,
      kid: key.kid,
      iat,
      exp: iat + lifetime,
      sourceIp: call.sourceIp,
    }),
    audit(deps, {
      event: "issue",
      principal: call.principalId,
      grantId: evaluation.grantId,
      policyVersion: capability.grt.ver,
      detail: { jti, aud: call.audience, lifetimeSeconds: lifetime, sourceIp: call.sourceIp },
    }),
  ]);

  return reply.header("cache-control", "no-store").send({
    token,
    tokenType: "pulse+jwt",
    expiresIn: lifetime,
    expiresAt: new Date((iat + lifetime) * 1000).toISOString(),
    jti,
    grantId: evaluation.grantId,
    policyVersion: capability.grt.ver,
  });
}

/** An RFC 9470-shaped challenge; the description is kept to characters a quoted-string allows. */
function stepUpChallenge(reasons: ReadonlyArray<{ readonly detail: string }>): string {
  const text = reasons
    .map((r) => r.detail)
    .join("; ")
    .replace(/[^\x20-\x7e]|["\\]/g, "");
  const description = text.slice(0, 200);
  return `Bearer error="insufficient_user_authentication", error_description="${description}"`;
}
