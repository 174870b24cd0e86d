import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "./config-file.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": PROD}', 6],
    ['{"a":tru}', 8],
    ['{"secret": "abc', 15],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ["{}x", 2],
    ["", 0],
    ['"\\x"', 1],
    ['{"a":"b\nc"}', 7],
  ])("finds where %j stops being JSON", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
