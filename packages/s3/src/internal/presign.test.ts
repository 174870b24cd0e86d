import { describe, expect, it } from "vitest";
import { presignedRequest, presignWindow } from "./presign.js";

describe("presigned URL window", () => {
  it("is found only in a presigner's output", () => {
    expect(presignedRequest({ $metadata: {}, Body: "x" })).toBeUndefined();
    expect(presignedRequest({ presigned: { query: {} } })).toEqual({ query: {} });
  });

  it("runs from X-Amz-Date for X-Amz-Expires seconds", () => {
    const query = { "X-Amz-Date": "20261204T170000Z", "X-Amz-Expires": "900" };
    const signedAt = Date.UTC(2026, 11, 4, 17, 0, 0) / 1000;
    expect(presignWindow({ query })).toEqual({ signedAt, validUntil: signedAt + 900 });
  });

  it.each([
    [{}],
    [{ "X-Amz-Date": "20261204T170000Z" }],
    [{ "X-Amz-Date": "2026-12-04T17:00:00Z", "X-Amz-Expires": "900" }],
    [{ "X-Amz-Date": "20261204T170000Z", "X-Amz-Expires": "-1" }],
    [{ "X-Amz-Date": "20261304T170000Z", "X-Amz-Expires": "900" }],
  ])("is unreadable for %j", (query) => {
    expect(presignWindow({ query })).toHaveProperty("detail");
  });
});
