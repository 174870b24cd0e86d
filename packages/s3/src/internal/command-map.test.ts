import { describe, expect, it } from "vitest";
import { commandAccess, MAPPED_COMMANDS } from "./command-map.js";

const B = "acme-reports";

describe("commandAccess: the command → (action, resource) map", () => {
  it.each([
    ["GetObjectCommand", "read"],
    ["HeadObjectCommand", "read"],
    ["PutObjectCommand", "write"],
    ["CreateMultipartUploadCommand", "write"],
    ["UploadPartCommand", "write"],
    ["CompleteMultipartUploadCommand", "write"],
    ["AbortMultipartUploadCommand", "write"],
    ["DeleteObjectCommand", "delete"],
  ])("%s → %s on s3://bucket/key", (command, action) => {
    expect(commandAccess(command, { Bucket: B, Key: "team-a/q1.csv" })).toEqual({
      requests: [{ resource: "s3://acme-reports/team-a/q1.csv", action }],
    });
  });

  it("keeps the raw key, dot segments and percent signs included, for core to judge", () => {
    expect(commandAccess("GetObjectCommand", { Bucket: B, Key: "team-a/%2e%2e/x" })).toEqual({
      requests: [{ resource: "s3://acme-reports/team-a/%2e%2e/x", action: "read" }],
    });
  });

  it("DeleteObjects asks for delete on every key, in one call", () => {
    const input = { Bucket: B, Delete: { Objects: [{ Key: "team-a/1" }, { Key: "hr/2" }] } };
    expect(commandAccess("DeleteObjectsCommand", input)).toEqual({
      requests: [
        { resource: "s3://acme-reports/team-a/1", action: "delete" },
        { resource: "s3://acme-reports/hr/2", action: "delete" },
      ],
    });
  });

  it.each(["CopyObjectCommand", "UploadPartCopyCommand"])(
    "%s reads the decoded CopySource and writes the destination",
    (command) => {
      const input = { Bucket: B, Key: "team-a/copy.csv", CopySource: "hr/private%20pay.csv" };
      expect(commandAccess(command, input)).toEqual({
        requests: [
          { resource: "s3://hr/private pay.csv", action: "read" },
          { resource: "s3://acme-reports/team-a/copy.csv", action: "write" },
        ],
      });
    },
  );

  it.each([
    "ListObjectsCommand",
    "ListObjectsV2Command",
    "ListObjectVersionsCommand",
    "ListMultipartUploadsCommand",
  ])("%s lists the Prefix, or the whole bucket without one", (command) => {
    expect(commandAccess(command, { Bucket: B, Prefix: "team-a/" })).toEqual({
      requests: [{ resource: "s3://acme-reports/team-a/", action: "list", match: "prefix" }],
    });
    expect(commandAccess(command, { Bucket: B })).toEqual({
      requests: [{ resource: "s3://acme-reports/", action: "list", match: "prefix" }],
    });
  });

  it.each(["DeleteBucketCommand", "PutBucketPolicyCommand", "GetObjectAclCommand", undefined])(
    "%s is unsupported-operation",
    (command) => {
      expect(commandAccess(command, { Bucket: B })).toMatchObject({
        refusal: "unsupported-operation",
      });
    },
  );

  it.each([
    ["GetObjectCommand", { Bucket: B }],
    ["GetObjectCommand", { Key: "team-a/x" }],
    ["GetObjectCommand", { Bucket: "acme-reports/team-a", Key: "x" }],
    ["ListObjectsV2Command", { Bucket: B, Prefix: 7 }],
    ["DeleteObjectsCommand", { Bucket: B, Delete: { Objects: [] } }],
    ["DeleteObjectsCommand", { Bucket: B, Delete: { Objects: [{ Key: "a" }, {}] } }],
    ["CopyObjectCommand", { Bucket: B, Key: "team-a/x", CopySource: "no-separator" }],
    ["PutObjectCommand", undefined],
  ])("%s with input %j is malformed", (command, input) => {
    expect(commandAccess(command, input)).toMatchObject({ refusal: "malformed" });
  });

  it("maps exactly the commands the issue lists", () => {
    expect([...MAPPED_COMMANDS].sort()).toEqual(
      [
        "AbortMultipartUploadCommand",
        "CompleteMultipartUploadCommand",
        "CopyObjectCommand",
        "CreateMultipartUploadCommand",
        "DeleteObjectCommand",
        "DeleteObjectsCommand",
        "GetObjectCommand",
        "HeadObjectCommand",
        "ListMultipartUploadsCommand",
        "ListObjectVersionsCommand",
        "ListObjectsCommand",
        "ListObjectsV2Command",
        "PutObjectCommand",
        "UploadPartCommand",
        "UploadPartCopyCommand",
      ].sort(),
    );
  });
});
