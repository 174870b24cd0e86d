/**
 * A length of time for a person: the two largest units, e.g. `4 minutes 12 seconds`,
 * `1 hour 5 minutes`, `3 days 2 hours`.
 */
export function describeDuration(milliseconds: number): string {
  let seconds = Math.round(Math.abs(milliseconds) / 1000);
  const units: Array<[string, number]> = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
    ["second", 1],
  ];
  const parts: string[] = [];
  for (const [name, size] of units) {
    const count = Math.floor(seconds / size);
    if (count === 0 && parts.length === 0) continue;
    seconds -= count * size;
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}

/** An epoch-seconds claim as an ISO instant. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** `expires in 4 minutes 12 seconds` or `expired 3 minutes ago`. */
export function describeExpiry(exp: number, nowMs: number): string {
  const left = exp * 1000 - nowMs;
  return left > 0
    ? `expires in ${describeDuration(left)}`
    : `expired ${describeDuration(left)} ago`;
}

/** `in 2 minutes` or `3 minutes ago`, relative to now. */
export function describeInstant(seconds: number, nowMs: number): string {
  const offset = seconds * 1000 - nowMs;
  return offset > 0 ? `in ${describeDuration(offset)}` : `${describeDuration(offset)} ago`;
}
