/** Longest excerpt line shown; longer lines are cut around the column. */
const MAX_EXCERPT = 120;

/**
 * The source line at `line` (1-based) with a caret under `column` (1-based). Tabs before the
 * column are kept so that the caret lines up in a terminal.
 */
export function excerpt(text: string, line: number, column: number): string {
  return excerptOfLine(text.split("\n")[line - 1] ?? "", line, column);
}

/** As {@link excerpt}, given the line's text. */
export function excerptOfLine(lineText: string, line: number, column: number): string {
  let source = lineText.replace(/\r$/, "");
  let at = Math.max(0, column - 1);

  if (source.length > MAX_EXCERPT) {
    const from = Math.max(0, Math.min(at - 40, source.length - MAX_EXCERPT));
    source = source.slice(from, from + MAX_EXCERPT);
    at -= from;
  }

  const gutter = `${line} | `;
  const pad = source.slice(0, at).replace(/[^\t]/g, " ");
  return `${gutter}${source}\n${" ".repeat(gutter.length - 2)}| ${pad}^`;
}
