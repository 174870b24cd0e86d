import { readFile } from "node:fs/promises";
import { PulseBrokerError } from "../errors.js";

/**
 * Reads a JSON configuration file named on the command line. A file that is not JSON is
 * reported by its name, the error kind and the line and column where parsing stopped, never
 * with a piece of its content: the identity file holds development secrets, and V8's own
 * `SyntaxError` message quotes the text around the fault. The `SyntaxError` is therefore not
 * kept as `cause` either.
 *
 * @throws {@link PulseBrokerError} `ERR_PULSE_BROKER_OPTIONS` when the file is not valid JSON.
 */
export async function readJsonConfig(path: string, option: string): Promise<unknown> {
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text);
  } catch {
    const where = linePosition(text, jsonErrorOffset(text));
    const message = `${option} ${path}: not valid JSON (syntax error at ${where})`;
    throw new PulseBrokerError("ERR_PULSE_BROKER_OPTIONS", message);
  }
}

function linePosition(text: string, offset: number | undefined): string {
  if (offset === undefined) return "an unknown position";

  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * The offset of the first character where `text` stops being JSON (RFC 8259), `text.length`
 * when it ends too early, or `undefined` when it cannot tell (nesting too deep to walk).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) return false;
      i++;
    }
    return true;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length;) {
      const ch = text[i]!;
      if (ch === '"') return ++i > 0;
      if (ch < " ") return false;
      if (ch !== "\\") {
        i++;
        continue;
      }
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return false;
      i = ESCAPE.lastIndex;
    }
    return false;
  };
  const list = (close: string, member: () => boolean): boolean => {
    i++;
    space();
    if (text[i] === close) return ++i > 0;
    for (;;) {
      space();
      if (!member()) return false;
      space();
      if (text[i] === close) return ++i > 0;
      if (text[i] !== ",") return false;
      i++;
    }
  };
  const value = (): boolean => {
    space();
    const ch = text[i];
    if (ch === "{") return list("}", () => string() && (space(), literal(":")) && value());
    if (ch === "[") return list("]", value);
    if (ch === '"') return string();
    if (ch === "t") return literal("true");
    if (ch === "f") return literal("false");
    if (ch === "n") return literal("null");
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) return false;
    i = NUMBER.lastIndex;
    return true;
  };

  try {
    if (!value()) return Math.min(i, text.length);
  } catch {
    return undefined;
  }
  space();
  return i;
}
