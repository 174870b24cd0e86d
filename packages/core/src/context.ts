import ipaddr from "ipaddr.js";
import type { ContextConstraintName, ContextConstraints, TimeWindow, Weekday } from "./claims.js";
import { WEEKDAYS } from "./claims.js";

/** What the caller's environment looks like at the moment of a request. */
export interface RequestContext {
  /** The source address the verifier is told about (IPv4 dotted decimal or IPv6). */
  readonly sourceIp?: string;
  /** Flag values from the caller's flag provider. */
  readonly flags?: Readonly<Record<string, string | boolean>>;
}

/** A context constraint that failed, or an address that could not be read. */
export interface ContextFailure {
  readonly constraint: ContextConstraintName | "address";
  readonly detail: string;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const MAPPED_HEADS = new Set(["::ffff:", "0:0:0:0:0:ffff:"]);

/**
 * Parses an address strictly: IPv4 only as four decimal parts without leading zeros, so
 * `010.20.1.5`, `0x0a.20.1.5` and `10.20.261` are refused rather than read as other addresses.
 * IPv4-mapped IPv6 addresses are read as the IPv4 address they carry. Zone ids are refused.
 *
 * @returns The address, or `undefined` when the text is not an address.
 */
export function parseAddressStrict(text: string): Address | undefined {
  if (typeof text !== "string" || text.length > 64) return undefined;

  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);

  if (!text.includes(":") || text.includes("%") || !ipaddr.IPv6.isValid(text)) return undefined;

  // A dotted IPv4 tail is accepted only in the IPv4-mapped form (`::ffff:a.b.c.d`): ipaddr.js
  // reads the tail as loosely as a bare IPv4 address (`::ffff:010.1.2.3`), and reads the
  // deprecated IPv4-compatible form `::a.b.c.d` as if it were mapped.
  const colon = text.lastIndexOf(":");
  const tail = text.slice(colon + 1);
  if (tail.includes(".")) {
    const head = text.slice(0, colon + 1).toLowerCase();
    if (!MAPPED_HEADS.has(head) || !ipaddr.IPv4.isValidFourPartDecimal(tail)) return undefined;
  }

  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  return v6;
}

/**
 * Parses a CIDR range strictly (the address part as in {@link parseAddressStrict}).
 *
 * @returns `[network, prefixLength]`, or `undefined` when the text is not a CIDR range.
 */
export function parseCidrStrict(text: string): [Address, number] | undefined {
  if (typeof text !== "string") return undefined;

  const slash = text.indexOf("/");
  if (slash < 0) return undefined;

  const address = parseAddressStrict(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(bits)) return undefined;

  const length = Number(bits);
  const mappedV4 = text.includes(":") && address.kind() === "ipv4";
  if (mappedV4 || length > (address.kind() === "ipv4" ? 32 : 128)) return undefined;

  return [address, length];
}

/** True when `address` lies in one of `ranges` (CIDR strings; invalid ranges match nothing). */
export function addressInRanges(address: Address, ranges: readonly string[]): boolean {
  for (const range of ranges) {
    const cidr = parseCidrStrict(range);
    if (cidr === undefined || cidr[0].kind() !== address.kind()) continue;
    if ((address as ipaddr.IPv4).match(cidr as [ipaddr.IPv4, number])) return true;
  }
  return false;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `tz` names an IANA time zone this runtime knows. */
export function isKnownTimeZone(tz: string): boolean {
  return localFormatter(tz) !== undefined;
}

function localFormatter(tz: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(tz);
  if (formatter !== undefined) return formatter;
  try {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    return undefined;
  }
  if (formatters.size > 512) formatters.clear();
  formatters.set(tz, formatter);
  return formatter;
}

const CLOCK = /^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$/;
const ARTIFACT_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True when `text` is a code-artifact digest as tokens carry it: `sha256:<64 lower-case hex>`. */
export function isArtifactDigest(text: unknown): boolean {
  return typeof text === "string" && ARTIFACT_DIGEST.test(text);
}

/** Minutes since midnight for `HH:MM` (`24:00` allowed as an end), or `undefined`. */
export function parseClock(text: string): number | undefined {
  const m = CLOCK.exec(text);
  if (m === null) return undefined;
  if (m[1] === undefined) return 24 * 60;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The weekday and minute of day of `instant` in time zone `tz`. */
export function localTime(instant: Date, tz: string): { day: Weekday; minute: number } | undefined {
  const formatter = localFormatter(tz);
  if (formatter === undefined) return undefined;

  let day: string | undefined;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(instant)) {
    if (part.type === "weekday") day = part.value.toLowerCase();
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  const weekday = WEEKDAYS.find((d) => d === day);
  return weekday === undefined ? undefined : { day: weekday, minute: hour * 60 + minute };
}

/**
 * True when `instant` falls inside `window`. A window whose end is not after its start runs past
 * midnight: its late part belongs to the listed day, its early part to the day after.
 */
export function insideWindow(instant: Date, window: TimeWindow): boolean | undefined {
  const local = localTime(instant, window.tz);
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (local === undefined || start === undefined || end === undefined) return undefined;

  if (start < end)
    return window.days.includes(local.day) && local.minute >= start && local.minute < end;

  const previous = WEEKDAYS[(WEEKDAYS.indexOf(local.day) + 6) % 7]!;
  const late = window.days.includes(local.day) && local.minute >= start;
  const early = window.days.includes(previous) && local.minute < end;
  return late || early;
}

/**
 * Re-checks a token's context constraints against the request's context. Returns the first
 * failure, in the order cidr, window, flags, artifact; `undefined` when all hold.
 *
 * @param constraints - The token's `ctx` claim.
 * @param context - What the verifier was told about the request.
 * @param now - The verifier's clock.
 * @param artifactDigest - The digest of the running code artifact the verifier was configured
 *   with, if any.
 */
export function checkContext(
  constraints: ContextConstraints,
  context: RequestContext,
  now: Date,
  artifactDigest: string | undefined,
): ContextFailure | undefined {
  if (constraints.cidr !== undefined) {
    const failure = checkCidr(constraints.cidr, context.sourceIp);
    if (failure !== undefined) return failure;
  }

  if (constraints.window !== undefined) {
    const inside = insideWindow(now, constraints.window);
    if (inside !== true) {
      const w = constraints.window;
      const detail = `outside ${w.days.join(",")} ${w.start}-${w.end} ${w.tz}`;
      return { constraint: "window", detail };
    }
  }

  for (const [name, required] of Object.entries(constraints.flags ?? {})) {
    const flags = context.flags;
    // Only the caller's own flags count: an inherited property (a polluted prototype) is absent.
    const actual = flags && Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (actual === undefined) return { constraint: "flags", detail: `flag ${name} missing` };
    if (actual !== required) {
      return { constraint: "flags", detail: `flag ${name} is not ${String(required)}` };
    }
  }

  if (constraints.artifact !== undefined && constraints.artifact !== artifactDigest) {
    const have = artifactDigest === undefined ? "no artifact digest configured" : "digest differs";
    return { constraint: "artifact", detail: `code artifact does not match: ${have}` };
  }

  return undefined;
}

function checkCidr(ranges: readonly string[], sourceIp: string | undefined) {
  if (sourceIp === undefined) {
    return { constraint: "cidr" as const, detail: "no source address in the request context" };
  }

  const address = parseAddressStrict(sourceIp);
  if (address === undefined) {
    return { constraint: "address" as const, detail: "source address is not a strict IP address" };
  }

  if (!addressInRanges(address, ranges)) {
    return {
      constraint: "cidr" as const,
      detail: `${address.toString()} outside ${ranges.join(", ")}`,
    };
  }
  return undefined;
}
