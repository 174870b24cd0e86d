import { isKnownTimeZone, parseCidrStrict, parseClock, parseResource } from "@pulse/core";

/** Why `text` is not a usable CIDR range, or `undefined` when it is. */
export function checkCidr(text: string): string | undefined {
  const cidr = parseCidrStrict(text);
  if (cidr === undefined) return `${JSON.stringify(text)} is not a CIDR range (address/length)`;

  const [address, length] = cidr;
  const bytes = address.toByteArray();
  for (let bit = length; bit < bytes.length * 8; bit++) {
    if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) {
      return `${text} has host bits set: write the network address of the range`;
    }
  }
  return undefined;
}

/** Why `uri` cannot be granted, or `undefined` when it can. */
export function checkResource(uri: string): string | undefined {
  const service = /^([a-z0-9]+):\/\/(\*?)(\/.*)?$/.exec(uri);
  if (service !== null) return `${uri} names a whole service: a grant names one instance`;

  try {
    const parsed = parseResource(uri, { pattern: true });
    if (
      parsed.scheme !== "pg" &&
      parsed.wildcard &&
      parsed.path !== "" &&
      !parsed.path.endsWith("/")
    ) {
      return `${uri}: a prefix ends at a '/' boundary`;
    }
  } catch (error) {
    if (uri.includes("*") && !uri.endsWith("/*") && !uri.startsWith("pg://")) {
      return `${uri}: a prefix ends at a '/' boundary ('…/prefix/*', not '…/prefix*')`;
    }
    return (error as Error).message;
  }
  return undefined;
}

/** Why `tz`, `start`, `end` do not make a window, or `undefined` when they do. */
export function checkWindow(tz: string, start: string, end: string): string | undefined {
  if (tz.length > 64 || !isKnownTimeZone(tz)) return `unknown time zone ${JSON.stringify(tz)}`;
  const from = parseClock(start);
  if (from === undefined || from === 24 * 60) {
    return `window start ${start} is not a time of day 00:00-23:59`;
  }
  if (parseClock(end) === undefined) return `window end ${end} is not a time of day 00:00-24:00`;
  if (start === end) return "a window's start and end differ";
  return undefined;
}

// Whitespace, control and format characters (zero-width spaces, bidirectional overrides) make
// two principal ids look alike to a reviewer while the evaluator compares them exactly.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/u;

/** Why `id` cannot name a principal, or `undefined` when it can. */
export function checkPrincipalId(id: string): string | undefined {
  if (id === "" || id.length > 256) return "a principal id is 1 to 256 characters";
  if (INVISIBLE.test(id)) {
    return "a principal id has no whitespace, control or invisible formatting characters";
  }
  return undefined;
}
