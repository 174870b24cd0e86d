import { PulseResourceError } from "../errors.js";

const SIMPLE_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;
const UNQUOTED_INPUT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Quotes a Postgres identifier for a `pg://` resource the way PostgreSQL prints it: bare when it
 * is a plain lower-case name, otherwise in double quotes with inner quotes doubled.
 */
export function quotePgIdentifier(name: string): string {
  if (SIMPLE_IDENTIFIER.test(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Splits `schema.name` (either part quoted or bare) into its identifiers. Bare identifiers fold
 * to lower case (ASCII only), as PostgreSQL folds unquoted names; quoted ones keep case and dots.
 * A bare `*` is returned as the wildcard marker `null`.
 */
export function splitPgPath(path: string): Array<string | null> {
  const parts: Array<string | null> = [];
  let i = 0;
  while (i <= path.length) {
    if (path[i] === '"') {
      let name = "";
      i++;
      for (;;) {
        const quote = path.indexOf('"', i);
        if (quote < 0) throw new PulseResourceError("unterminated quoted identifier");
        name += path.slice(i, quote);
        if (path[quote + 1] === '"') {
          name += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      if (name === "") throw new PulseResourceError("empty quoted identifier");
      parts.push(name);
    } else {
      const dot = path.indexOf(".", i);
      const raw = dot < 0 ? path.slice(i) : path.slice(i, dot);
      if (raw === "*") parts.push(null);
      else if (UNQUOTED_INPUT.test(raw)) parts.push(raw.toLowerCase());
      else throw new PulseResourceError(`invalid identifier ${JSON.stringify(raw)}`);
      i += raw.length;
    }
    if (i === path.length) break;
    if (path[i] !== ".") throw new PulseResourceError("identifiers must be separated by '.'");
    i++;
  }
  return parts;
}
