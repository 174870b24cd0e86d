import { describe, expect, test } from "vitest";
import type { PolicyParseError } from "./index.js";
import { parsePolicy } from "./index.js";

function syntaxError(text: string): PolicyParseError {
  try {
    parsePolicy(text, { file: "bad.pulse" });
  } catch (error) {
    return error as PolicyParseError;
  }
  throw new Error("expected a syntax error");
}

const GRANT_HEAD = "grant g {\n";

// Each case: the text, then the exact line, column and message of the first error.
const INVALID: ReadonlyArray<[string, string, number, number, string]> = [
  [
    "stray word at top level",
    "hello",
    1,
    1,
    'expected "grant", "group", "include" or end of file but found "hello"',
  ],
  ["grant without id", "grant {", 1, 7, 'expected grant id but found "{"'],
  ["grant without brace", "grant g\n  principal", 2, 3, 'expected "{" but found "principal"'],
  [
    "unknown clause",
    `${GRANT_HEAD}  owner "x"\n}`,
    2,
    3,
    'expected "actions", "artifact", "expires", "flag", "justification", "max-lifetime", ' +
      '"network", "principal", "resources", "step-up", "window" or "}" but found "owner"',
  ],
  [
    "unclosed grant",
    `${GRANT_HEAD}  actions [read]\n`,
    3,
    1,
    expect.stringContaining('or "}" but found end of file') as unknown as string,
  ],
  [
    "principal without id",
    `${GRANT_HEAD}  principal human\n}`,
    3,
    1,
    'expected group reference (@name) or string but found "}"',
  ],
  [
    "list without brackets",
    `${GRANT_HEAD}  actions read\n}`,
    2,
    11,
    'expected "[" but found "read"',
  ],
  [
    "missing comma in list",
    `${GRANT_HEAD}  actions [read write]\n}`,
    2,
    17,
    'expected "," or "]" but found "write"',
  ],
  [
    "unterminated string",
    `${GRANT_HEAD}  principal human "ann\n}`,
    2,
    19,
    'unterminated string: a string ends with " on the line where it starts',
  ],
  [
    "bad escape",
    `${GRANT_HEAD}  principal human "a\\qb"\n}`,
    2,
    21,
    'unknown escape \\q: write \\" \\\\ \\n \\t or \\uXXXX',
  ],
  [
    "short unicode escape",
    `${GRANT_HEAD}  principal human "a\\u0A"\n}`,
    2,
    21,
    "\\u takes four hex digits: \\u00e9",
  ],
  [
    "tab inside a string",
    `${GRANT_HEAD}  principal human "a\tb"\n}`,
    2,
    19,
    "control character in a string: write it as an escape (\\t, \\uXXXX)",
  ],
  [
    "calendar date that does not exist",
    `${GRANT_HEAD}  expires 2027-02-30\n}`,
    2,
    11,
    "2027-02-30 is not a valid date",
  ],
  [
    "timestamp without zone",
    `${GRANT_HEAD}  expires 2027-02-01T10:00:00\n}`,
    2,
    11,
    expect.stringContaining("expected date (YYYY-MM-DD)") as unknown as string,
  ],
  [
    "duration in wrong order",
    `${GRANT_HEAD}  max-lifetime 30m1h\n}`,
    2,
    16,
    "30m1h is not a duration: write hours, then minutes, then seconds",
  ],
  [
    "duration without unit",
    `${GRANT_HEAD}  max-lifetime 30\n}`,
    2,
    16,
    'expected duration (e.g. 15m, 1h, 1h30m, 90s) but found "30"',
  ],
  [
    "window with one-digit hour",
    `${GRANT_HEAD}  window mon-fri 8:00-18:00 in "UTC"\n}`,
    2,
    18,
    'expected "," or time of day (HH:MM) but found "8:00-18:00"',
  ],
  [
    "window without zone",
    `${GRANT_HEAD}  window mon 08:00-18:00\n}`,
    3,
    1,
    'expected "in" but found "}"',
  ],
  [
    "unknown day",
    `${GRANT_HEAD}  window mon-fry 08:00-18:00 in "UTC"\n}`,
    2,
    14,
    'expected day (mon, tue, wed, thu, fri, sat, sun) but found "fry"',
  ],
  [
    "flag without value",
    `${GRANT_HEAD}  flag "x" =\n}`,
    3,
    1,
    'expected true, false or a string but found "}"',
  ],
  [
    "step-up with unknown form",
    `${GRANT_HEAD}  step-up if window\n}`,
    2,
    11,
    'expected "on" or "when" but found "if"',
  ],
  [
    "group without kind",
    "group @x = []",
    1,
    7,
    'expected "networks" or "principals" but found "@x"',
  ],
  [
    "group name without @",
    'group networks office = ["10.0.0.0/8"]',
    1,
    16,
    'expected group name (@name) but found "office"',
  ],
  [
    "include without path",
    "include shared.pulse",
    1,
    9,
    'expected string but found "shared.pulse"',
  ],
  [
    "multi-line string on the opening line",
    `${GRANT_HEAD}  justification "R" """text\n  """\n}`,
    2,
    21,
    'a multi-line string starts with a line break after """',
  ],
  [
    "multi-line string closed on a text line",
    `${GRANT_HEAD}  justification "R" """\n    text"""\n}`,
    2,
    21,
    'the closing """ of a multi-line string goes on its own line',
  ],
  [
    "multi-line string line left of the closing quotes",
    `${GRANT_HEAD}  justification "R" """\n  text\n    """\n}`,
    2,
    21,
    'a line of a multi-line string is indented less than its closing """',
  ],
];

describe("invalid policies: exact position and message", () => {
  test.each(INVALID)("%s", (_name, text, line, column, message) => {
    const error = syntaxError(text);
    expect(error.code).toBe("ERR_PULSE_POLICY_SYNTAX");
    expect({ file: error.file, line: error.line, column: error.column }).toEqual({
      file: "bad.pulse",
      line,
      column,
    });
    expect(error.diagnostics[0]?.message).toEqual(message);
  });

  test("the excerpt puts a caret under the column", () => {
    const error = syntaxError(`${GRANT_HEAD}  actions [read write]\n}`);
    expect(error.diagnostics[0]?.excerpt).toBe("2 |   actions [read write]\n  |                 ^");
    expect(error.message).toContain("bad.pulse:2:17: error: expected");
  });

  test("the excerpt keeps tabs so the caret lines up", () => {
    const error = syntaxError(`${GRANT_HEAD}\tactions [read write]\n}`);
    expect(error.diagnostics[0]?.excerpt).toBe("2 | \tactions [read write]\n  | \t              ^");
  });

  test("a syntax error lists what was expected", () => {
    const error = syntaxError(`${GRANT_HEAD}  actions [read write]\n}`);
    expect(error.expected).toEqual(['","', '"]"']);
  });
});

describe("what parses", () => {
  test("comments, multi-line strings and escapes", () => {
    const doc = parsePolicy(
      [
        "# head",
        "",
        "grant g { # opens",
        '  justification "T-1\\t\\u0041\\"" """',
        "    line one",
        "      indented",
        "",
        "    line three",
        '    """ # after',
        "}",
      ].join("\n"),
    );
    expect(doc.headComments).toEqual([" head"]);
    const grant = doc.declarations[0];
    if (grant?.kind !== "grant") throw new Error("expected a grant");
    const clause = grant.clauses[0];
    if (clause?.kind !== "justification") throw new Error("expected a justification");
    expect(clause.ref.value).toBe('T-1\tA"');
    expect(clause.text.value).toBe("line one\n  indented\n\nline three");
    expect(clause.comments).toEqual([" opens"]);
    expect(clause.trailing).toBe(" after");
  });

  test("day ranges wrap around the week and repeated days collapse", () => {
    const doc = parsePolicy('grant g {\n  window fri-mon,sun 22:00-06:00 in "UTC"\n}');
    const grant = doc.declarations[0];
    if (grant?.kind !== "grant" || grant.clauses[0]?.kind !== "window") throw new Error("window");
    expect(grant.clauses[0].days).toEqual(["fri", "sat", "sun", "mon"]);
  });

  test("a timestamp with an offset is read as the instant it names", () => {
    const doc = parsePolicy("grant g {\n  expires 2027-03-31T10:00:00+02:00\n}");
    const grant = doc.declarations[0];
    if (grant?.kind !== "grant" || grant.clauses[0]?.kind !== "expires") throw new Error("expires");
    expect(grant.clauses[0].at).toBe("2027-03-31T08:00:00.000Z");
  });

  test("a file of only comments parses to no declarations", () => {
    const doc = parsePolicy("# nothing yet\n");
    expect(doc.declarations).toEqual([]);
    expect(doc.endComments).toEqual([" nothing yet"]);
  });
});

describe("line endings and byte-order marks", () => {
  test("CRLF line endings parse as the same model, multi-line strings included", () => {
    const unix = 'grant g {\n  justification "R" """\n    one\n    two\n    """\n}\n';
    const windows = unix.replace(/\n/g, "\r\n");
    const text = (t: string) => {
      const grant = parsePolicy(t).declarations[0];
      const clause = grant?.kind === "grant" ? grant.clauses[0] : undefined;
      return clause?.kind === "justification" ? clause.text.value : undefined;
    };
    expect(text(windows)).toBe("one\ntwo");
    expect(text(windows)).toBe(text(unix));
  });

  test("a byte-order mark at the start is ignored and positions stay those of the file", () => {
    const doc = parsePolicy('\uFEFFinclude "a.pulse"');
    expect(doc.declarations[0]?.span).toMatchObject({ line: 1, column: 2 });
  });
});
