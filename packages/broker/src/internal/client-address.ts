import { addressInRanges, parseAddressStrict, parseCidrStrict } from "@pulse/core";

/** The caller's address as the broker sees it, or why it cannot be read. */
export type SourceAddress = { readonly ok: true; readonly ip: string } | { readonly ok: false };

/**
 * Reads the caller's address. The socket's peer address is the answer unless that peer is one of
 * `trustedProxies`; only then is `X-Forwarded-For` read, right to left, skipping further trusted
 * proxies. The first address not in `trustedProxies` is the caller. Any entry that is not a
 * strict IP address makes the whole header unreadable: the caller gets a 400, never a guess.
 */
export function sourceAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): SourceAddress {
  const peer = parseAddressStrict(socketAddress ?? "");
  if (peer === undefined) return { ok: false };

  const trusted = trustedProxies.length > 0 && addressInRanges(peer, trustedProxies);
  if (!trusted || forwardedFor === undefined) return { ok: true, ip: peer.toString() };

  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  const hops = header.split(",").map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddressStrict(hops[i]!);
    if (hop === undefined) return { ok: false };
    if (!addressInRanges(hop, trustedProxies) || i === 0) return { ok: true, ip: hop.toString() };
  }
  return { ok: false };
}

/**
 * Why a `trustedProxies` entry cannot be used, or `undefined` when it is a strict CIDR range
 * (core's `parseCidrStrict`) without host bits. A bare address is refused rather than read as
 * `/32` or `/128`, and `127.0.0.1/8` is refused rather than read as `127.0.0.0/8`: the list is
 * written as the ranges it trusts, nothing else.
 */
export function trustedProxyProblem(entry: unknown): string | undefined {
  if (typeof entry !== "string") return "is not a string";

  const cidr = parseCidrStrict(entry);
  if (cidr === undefined) {
    const bare = parseAddressStrict(entry) !== undefined;
    return bare ? "is an address, not a range (add /32 or /128)" : "is not a strict CIDR range";
  }

  const [network, length] = cidr;
  if (hasHostBits(network.toByteArray(), length)) return "has host bits set";
  return undefined;
}

function hasHostBits(bytes: readonly number[], length: number): boolean {
  return bytes.some((byte, i) => {
    const kept = Math.min(Math.max(length - i * 8, 0), 8);
    return (byte & (0xff >> kept)) !== 0;
  });
}
