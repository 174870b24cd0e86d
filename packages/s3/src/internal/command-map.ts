import type { AccessRequest, Action } from "@pulse/core";
import { parseCopySource } from "./copy-source.js";

/** What one S3 command call asks for, or why it cannot be mapped. */
export type CommandAccess =
  | { readonly requests: readonly AccessRequest[] }
  | { readonly refusal: "unsupported-operation" | "malformed"; readonly detail: string };

type Input = Readonly<Record<string, unknown>>;
type Mapper = (input: Input) => CommandAccess;

const OBJECT_ACTIONS: Readonly<Record<string, Action>> = {
  GetObjectCommand: "read",
  HeadObjectCommand: "read",
  PutObjectCommand: "write",
  CreateMultipartUploadCommand: "write",
  UploadPartCommand: "write",
  CompleteMultipartUploadCommand: "write",
  AbortMultipartUploadCommand: "write",
  DeleteObjectCommand: "delete",
};

const LISTING_COMMANDS = [
  "ListObjectsCommand",
  "ListObjectsV2Command",
  "ListObjectVersionsCommand",
  "ListMultipartUploadsCommand",
];

const COPY_COMMANDS = ["CopyObjectCommand", "UploadPartCopyCommand"];

const MAPPERS = new Map<string, Mapper>([
  ...Object.entries(OBJECT_ACTIONS).map(([name, action]): [string, Mapper] => [
    name,
    (input) => objectAccess(input, action),
  ]),
  ...LISTING_COMMANDS.map((name): [string, Mapper] => [name, listingAccess]),
  ...COPY_COMMANDS.map((name): [string, Mapper] => [name, copyAccess]),
  ["DeleteObjectsCommand", deleteObjectsAccess],
]);

/** The S3 commands the map knows, for documentation and tests. */
export const MAPPED_COMMANDS: readonly string[] = [...MAPPERS.keys()];

/**
 * Maps one S3 command call to every action and resource it touches. A command outside the map
 * is `unsupported-operation`; input that cannot name a resource is `malformed`.
 *
 * Resources are `s3://bucket/key` with the key exactly as given (the raw key S3 stores), so
 * that `@pulse/core` refuses dot segments and empty segments instead of anything normalising
 * them away.
 */
export function commandAccess(commandName: string | undefined, input: unknown): CommandAccess {
  const mapper = commandName === undefined ? undefined : MAPPERS.get(commandName);
  if (mapper === undefined) {
    const detail = `${commandName ?? "an unnamed command"} is not mapped to an action`;
    return { refusal: "unsupported-operation", detail };
  }

  if (typeof input !== "object" || input === null) {
    return { refusal: "malformed", detail: `${commandName} has no input` };
  }
  return mapper(input as Input);
}

function bucketOf(input: Input): string | undefined {
  const bucket = input["Bucket"];
  if (typeof bucket !== "string" || bucket === "" || bucket.includes("/")) return undefined;
  return bucket;
}

function objectResource(bucket: string, key: unknown): string | undefined {
  return typeof key === "string" ? `s3://${bucket}/${key}` : undefined;
}

function malformed(detail: string): CommandAccess {
  return { refusal: "malformed", detail };
}

function objectAccess(input: Input, action: Action): CommandAccess {
  const bucket = bucketOf(input);
  if (bucket === undefined) return malformed("Bucket is missing or not a bucket name");

  const resource = objectResource(bucket, input["Key"]);
  if (resource === undefined) return malformed("Key is missing");

  return { requests: [{ resource, action }] };
}

function listingAccess(input: Input): CommandAccess {
  const bucket = bucketOf(input);
  if (bucket === undefined) return malformed("Bucket is missing or not a bucket name");

  const prefix = input["Prefix"] ?? "";
  if (typeof prefix !== "string") return malformed("Prefix is not a string");

  return { requests: [{ resource: `s3://${bucket}/${prefix}`, action: "list", match: "prefix" }] };
}

function copyAccess(input: Input): CommandAccess {
  const destination = objectAccess(input, "write");
  if (!("requests" in destination)) return destination;

  const source = parseCopySource(input["CopySource"]);
  if ("detail" in source) return malformed(source.detail);

  const read: AccessRequest = { resource: `s3://${source.bucket}/${source.key}`, action: "read" };
  return { requests: [read, ...destination.requests] };
}

function deleteObjectsAccess(input: Input): CommandAccess {
  const bucket = bucketOf(input);
  if (bucket === undefined) return malformed("Bucket is missing or not a bucket name");

  const objects = (input["Delete"] as { Objects?: unknown } | undefined)?.Objects;
  if (!Array.isArray(objects) || objects.length === 0) {
    return malformed("DeleteObjects names no keys");
  }

  const requests: AccessRequest[] = [];
  for (const object of objects) {
    const resource = objectResource(bucket, (object as { Key?: unknown } | null)?.Key);
    if (resource === undefined) return malformed("DeleteObjects has an entry without a Key");
    requests.push({ resource, action: "delete" });
  }
  return { requests };
}
