import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLogfmt } from "../../src/entries/logfmt.js";

describe("parseLogfmt", () => {
  it.each([
    ["a=1 b=two", { a: "1", b: "two" }],
    ['msg="hello world" level=info', { msg: "hello world", level: "info" }],
    ['q="say \\"hi\\"\\n" r=\\x', { q: 'say "hi"\n', r: "\\x" }],
    ["flag a=1", { flag: true, a: "1" }],
    ["a= b=2", { a: "", b: "2" }],
    ["a=1 a=2", { a: "2" }],
    ["  a=1\tb=2  ", { a: "1", b: "2" }],
    ['a="unterminated', { a: "unterminated" }],
    ["a=x=y", { a: "x=y" }],
    ["=stray a=1", { a: "1" }],
    ['"quoted" a=1', { a: "1" }],
  ])("reads %j", (text, expected) => {
    expect(Object.fromEntries(parseLogfmt(text) ?? [])).toEqual(expected);
  });

  it.each([["plain text"], [""], ["   "], ["=== ==="]])("finds no pair in %j", (text) => {
    expect(parseLogfmt(text)).toBeUndefined();
  });

  it("reads back pairs it is given, quoted or bare", () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,10}$/);
    const value = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, value), { minLength: 1, selector: ([k]) => k }),
        (pairs) => {
          const text = pairs
            .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
            .join(" ");
          expect(Object.fromEntries(parseLogfmt(text) ?? [])).toEqual(Object.fromEntries(pairs));
        },
      ),
    );
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => void parseLogfmt(text)));
  });
});
