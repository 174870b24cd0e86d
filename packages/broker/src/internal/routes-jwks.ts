import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { BrokerDeps } from "./context.js";

/** `GET /.well-known/jwks.json`, with `Cache-Control` and an `ETag` for conditional requests. */
export function jwksRoutes(app: FastifyInstance, deps: () => BrokerDeps): void {
  app.get("/.well-known/jwks.json", async (request, reply) => {
    const d = deps();
    const body = JSON.stringify({ keys: d.keys.published(Math.floor(d.now() / 1000)) });
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    reply
      .header("cache-control", `public, max-age=${d.jwksMaxAgeSeconds}`)
      .header("etag", etag)
      .header("content-type", "application/jwk-set+json");
    if (request.headers["if-none-match"] === etag) return reply.code(304).send();
    return reply.send(body);
  });
}
