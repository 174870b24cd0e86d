// A key may pass through several decoders on its way to a server (a proxy, then the server), and
// some of them decode escape by escape, leaving invalid ones (`%`, `%ff`) in place. So decoding
// here is per escape, byte by byte, and repeated until nothing changes: `%252e%252e` is `..`
// after two rounds, and a stray `%` elsewhere does not stop it.
const MAX_DECODE_ROUNDS = 8;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;

// Spellings of "." that lenient decoders have been known to accept: overlong UTF-8 (C0 AE,
// E0 80 AE) as bytes, and IIS's %u002e.
const DOT_LOOKALIKES = /\u00c0\u00ae|\u00e0\u0080\u00ae|%u002e/gi;

function decodeRounds(text: string): string[] | undefined {
  const forms = [text];
  let current = text;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = current.replace(ESCAPE, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
    if (next === current) return forms;
    forms.push(next);
    current = next;
  }
  return undefined;
}

/**
 * True when any segment of `path`, raw or after any number of percent-decoding rounds, is `.` or
 * `..` (including overlong spellings of the dot), and when the path is encoded more deeply than
 * the decoder follows: what cannot be decided is refused. Decoding may reveal new separators
 * (`..%2fx`), so every decoded form is split again.
 */
export function hasDotSegment(path: string): boolean {
  const forms = decodeRounds(path);
  if (forms === undefined) return true;

  for (const form of forms) {
    for (const variant of [form, form.replace(DOT_LOOKALIKES, ".")]) {
      for (const segment of variant.split("/")) {
        if (segment === "." || segment === "..") return true;
      }
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
