// Percent-decoding is repeated because a key may pass through several decoders on its way to a
// server (a proxy, then the server itself): `%252e%252e` is `..` after two of them.
const MAX_DECODE_ROUNDS = 4;

function decodeRounds(text: string): string[] {
  const forms = [text];
  let current = text;
  for (let round = 0; round < MAX_DECODE_ROUNDS && current.includes("%"); round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * True when any segment of `path`, raw or after percent-decoding, is `.` or `..`. Decoding may
 * reveal new separators (`..%2fx`), so every decoded form is split again.
 */
export function hasDotSegment(path: string): boolean {
  for (const form of decodeRounds(path)) {
    for (const segment of form.split("/")) {
      if (segment === "." || segment === "..") return true;
    }
  }
  return false;
}

// C0 controls and DEL: never part of a name a reviewer can read, and a classic way to make two
// names look alike in a log.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True when `text` holds a control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}
