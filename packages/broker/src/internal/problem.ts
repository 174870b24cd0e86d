import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "@pulse/core";

/** Sends a JSON problem: `{ error, detail }` plus any extra members. Never a stack trace. */
export function problem(
  reply: FastifyReply,
  status: number,
  error: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .send({ error, detail, ...extra });
}

const CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "body_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
  FST_ERR_VALIDATION: "invalid_request",
};

/**
 * The broker's error handler: 4xx errors raised by Fastify (validation, body size, media type,
 * bad JSON) become a short JSON problem; anything else is logged and answered with a bare 500.
 */
export function errorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        CLIENT_ERRORS[error.code] ?? (error.validation ? "invalid_request" : "bad_request");
      return problem(reply, status, code, clientDetail(error));
    }
    logger.error?.("broker request failed", {
      method: request.method,
      route: request.routeOptions.url,
      error: String(error),
    });
    return problem(reply, 500, "internal", "the broker could not handle the request");
  };
}

function clientDetail(error: FastifyError): string {
  if (error.validation !== undefined) {
    return error.validation
      .slice(0, 3)
      .map((v) => `${v.instancePath || "body"} ${v.message ?? "is invalid"}`)
      .join("; ");
  }
  return error.message.slice(0, 200);
}
