import { describe, expect, it } from "vitest";
import { parseCopySource } from "./copy-source.js";

describe("parseCopySource", () => {
  it("reads bucket/key with or without a leading slash", () => {
    expect(parseCopySource("acme-reports/team-a/q1.csv")).toEqual({
      bucket: "acme-reports",
      key: "team-a/q1.csv",
    });
    expect(parseCopySource("/acme-reports/team-a/q1.csv")).toEqual({
      bucket: "acme-reports",
      key: "team-a/q1.csv",
    });
  });

  it("percent-decodes the key exactly once", () => {
    expect(parseCopySource("acme/team-a/a%20b%3Fc.csv")).toMatchObject({ key: "team-a/a b?c.csv" });
    expect(parseCopySource("acme/team-a/%252e%252e/x")).toMatchObject({
      key: "team-a/%2e%2e/x",
    });
  });

  it("decodes an encoded traversal so that core sees the dot segments", () => {
    expect(parseCopySource("acme/team-a/%2e%2e/hr-private/salaries.csv")).toMatchObject({
      bucket: "acme",
      key: "team-a/../hr-private/salaries.csv",
    });
  });

  it("keeps a versionId apart from the key", () => {
    expect(parseCopySource("acme/team-a/q1.csv?versionId=3%2Fabc")).toEqual({
      bucket: "acme",
      key: "team-a/q1.csv",
      versionId: "3%2Fabc",
    });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["no separator", "acme"],
    ["no key", "acme/"],
    ["encoded separator", "acme%2Fteam-a/q1.csv"],
    ["encoded bucket", "ac%6De/q1.csv"],
    ["access point ARN", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k"],
    ["other query", "acme/team-a/q1.csv?partNumber=1"],
    ["two queries", "acme/team-a/q1.csv?versionId=1&x=2"],
    ["empty versionId", "acme/team-a/q1.csv?versionId="],
    ["literal plus", "acme/team-a/a+b.csv"],
    ["bad percent-encoding", "acme/team-a/%E0%A4%A"],
  ])("refuses CopySource that is %s", (_what, value) => {
    expect(parseCopySource(value)).toHaveProperty("detail");
  });
});
