import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../../src/commands/client/input/line-splitter.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function split(chunks: (string | Uint8Array)[], maxLineBytes = 1024): string[] {
  const splitter = new LineSplitter(maxLineBytes);
  const out: string[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? bytes(chunk) : chunk, out);
  splitter.end(out);
  return out;
}

describe("LineSplitter", () => {
  it("splits on LF and strips the CR of CRLF", () => {
    expect(split(["a\r\nb\nc\r\n"])).toEqual(["a", "b", "c"]);
  });

  it("keeps a CR that is not at the end of a line", () => {
    expect(split(["a\rb\n"])).toEqual(["a\rb"]);
  });

  it("skips blank and white-space-only lines", () => {
    expect(split(["\n\r\n  \t \nx\n\n"])).toEqual(["x"]);
  });

  it("counts an unterminated last line", () => {
    expect(split(["first\nlast"])).toEqual(["first", "last"]);
    expect(split(["only"])).toEqual(["only"]);
  });

  it("joins a line split across chunks, a multi-byte character included", () => {
    const euro = bytes("€"); // E2 82 AC
    expect(
      split([bytes("pri"), Uint8Array.of(0x63, 0x65, 0x20, euro[0] ?? 0), euro.subarray(1), "5\n"]),
    ).toEqual(["price €5"]);
  });

  it("replaces invalid UTF-8 with U+FFFD", () => {
    expect(split([Uint8Array.of(0x61, 0xff, 0x62, 0xc3, 0x0a)])).toEqual(["a\uFFFDb\uFFFD"]);
  });

  it("drops a UTF-8 byte order mark at the start only", () => {
    expect(split([Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a), "b\n"])).toEqual(["a", "b"]);
    const splitter = new LineSplitter(64);
    const out: string[] = [];
    splitter.push(bytes("x\n"), out);
    splitter.push(Uint8Array.of(0xef, 0xbb, 0xbf, 0x79, 0x0a), out);
    expect(out).toEqual(["x", "\uFEFFy"]);
  });

  it("keeps a line of exactly the limit whole, CRLF or not", () => {
    const splitter = new LineSplitter(8);
    const out: string[] = [];
    splitter.push(bytes("12345678\r\n12345678\n"), out);
    expect(out).toEqual(["12345678", "12345678"]);
    expect(splitter.cut).toBe(0);
  });

  it("cuts a longer line to the limit and discards the rest up to LF", () => {
    const splitter = new LineSplitter(8);
    const out: string[] = [];
    splitter.push(bytes("123456789abc\nnext\n"), out);
    expect(out).toEqual(["12345678", "next"]);
    expect(splitter.cut).toBe(1);
  });

  it("cuts on a code point boundary", () => {
    // "aé€" is 61 C3 A9 E2 82 AC: a cut at 4 bytes would split the euro sign.
    expect(split(["aé€€\n"], 4)).toEqual(["aé"]);
    expect(split(["aé€€\n"], 6)).toEqual(["aé€"]);
    expect(split(["😀😀\n"], 5)).toEqual(["😀"]);
  });

  /** Bytes rich in line ends, white space, multi-byte and invalid UTF-8, and their chunking. */
  const chunked = fc
    .array(
      fc.constantFrom(0x0a, 0x0d, 0x20, 0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0xef, 0xbb),
      {
        maxLength: 200,
      },
    )
    .chain((input) =>
      fc.uniqueArray(fc.integer({ min: 0, max: input.length })).map((cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), input.length];
        const all = Uint8Array.from(input);
        return { all, chunks: at.slice(1).map((end, i) => all.subarray(at[i], end)) };
      }),
    );

  it("gives the same lines and cuts however the input is chunked", () => {
    fc.assert(
      fc.property(chunked, fc.constantFrom(4, 8, 1024), ({ all, chunks }, limit) => {
        const whole = new LineSplitter(limit);
        const pieces = new LineSplitter(limit);
        const expected: string[] = [];
        const got: string[] = [];
        whole.push(all, expected);
        whole.end(expected);
        for (const chunk of chunks) pieces.push(chunk, got);
        pieces.end(got);
        expect(got).toEqual(expected);
        expect(pieces.cut).toBe(whole.cut);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives each line's UTF-8 length, invalid input counted as its U+FFFD", () => {
    fc.assert(
      fc.property(chunked, fc.constantFrom(4, 8, 1024), ({ chunks }, limit) => {
        const splitter = new LineSplitter(limit);
        const check = () => {
          for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
            expect(splitter.lineBytes).toBe(Buffer.byteLength(line));
          }
        };
        for (const chunk of chunks) {
          splitter.feed(chunk);
          check();
        }
        splitter.finish();
        check();
      }),
      { numRuns: 1000 },
    );
  });

  it("splits like decoding the whole input and splitting the text, when no line is cut", () => {
    fc.assert(
      fc.property(chunked, ({ all, chunks }) => {
        const text = Buffer.from(all).toString("utf8");
        const expected = text
          .split("\n")
          .map((line) => line.replace(/\r$/, ""))
          .filter((line) => line.trim() !== "");
        expect(split(chunks, 1024)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("holds no more than the limit of a 100 MB line without a newline", () => {
    const limit = 1024 * 1024;
    const splitter = new LineSplitter(limit);
    const chunk = new Uint8Array(64 * 1024).fill(0x78);
    const out: string[] = [];
    let maxHeld = 0;
    for (let sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) {
      splitter.push(chunk, out);
      maxHeld = Math.max(maxHeld, splitter.heldBytes);
    }
    splitter.push(bytes("\nafter\n"), out);
    expect(maxHeld).toBeLessThanOrEqual(limit + 1);
    expect(out.map((line) => line.length)).toEqual([limit, 5]);
    expect(splitter.cut).toBe(1);
  });
});

describe("LineSplitter pulled", () => {
  it("hands out the chunk's lines one at a time, then its unfinished end once the input ends", () => {
    const splitter = new LineSplitter(64);
    splitter.feed(bytes("a\n\nb\nc"));
    expect(splitter.next()).toBe("a");
    expect(splitter.next()).toBe("b");
    expect(splitter.next()).toBeUndefined();
    expect(splitter.heldBytes).toBe(1);
    splitter.feed(bytes("d"));
    expect(splitter.next()).toBeUndefined();
    expect(splitter.finish()).toBe(true);
    expect(splitter.next()).toBe("cd");
    expect(splitter.next()).toBeUndefined();
  });

  it("reads a chunk that is not ASCII in place until it is used up, copying only its unfinished end", () => {
    const splitter = new LineSplitter(64);
    const chunk = bytes("ön\ntwo\nthr");
    splitter.feed(chunk);
    expect(splitter.next()).toBe("ön");
    chunk.set(bytes("TWO"), 4);
    expect(splitter.next()).toBe("TWO");
    expect(splitter.next()).toBeUndefined();
    chunk.fill(0x78);
    splitter.feed(bytes("ee\n"));
    expect(splitter.next()).toBe("three");
  });

  it("splits ASCII chunks, read as text, as it splits their bytes", () => {
    // Mostly ASCII chunks, so that most are read as text; a byte 0xc3 makes a chunk bytes.
    const input = fc
      .array(fc.constantFrom(0x0a, 0x0a, 0x0d, 0x20, 0x61, 0x62, 0x22, 0xc3), { maxLength: 120 })
      .chain((all) =>
        fc.array(fc.integer({ min: 0, max: all.length }), { maxLength: 8 }).map((cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), all.length];
          const bytes = Uint8Array.from(all);
          return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
        }),
      );
    fc.assert(
      fc.property(input, fc.constantFrom(3, 1024), (chunks, limit) => {
        const read = (splitter: LineSplitter, pieces: Uint8Array[]) => {
          const out: [string, number][] = [];
          for (const chunk of pieces) {
            splitter.feed(chunk);
            let last = 0;
            for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
              out.push([line, splitter.lineBytes]);
              // consumed: just past the line's LF in its chunk, further each line.
              expect(chunk[splitter.consumed - 1]).toBe(0x0a);
              expect(splitter.consumed).toBeGreaterThan(last);
              last = splitter.consumed;
            }
          }
          if (splitter.finish()) out.push([splitter.next() as string, splitter.lineBytes]);
          return out;
        };
        // Each byte alone: no chunk holds a whole line, so none is read as text.
        const bytewise = chunks.flatMap((chunk) => [...chunk].map((byte) => Uint8Array.of(byte)));
        expect(read(new LineSplitter(limit), chunks)).toEqual(
          read(new LineSplitter(limit), bytewise),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same lines and byte counts whether a chunk is ASCII or not", () => {
    const lines = (input: string) => {
      const splitter = new LineSplitter(8);
      const out: [string, number][] = [];
      for (const piece of input.split("|")) {
        splitter.feed(bytes(piece));
        for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
          out.push([line, splitter.lineBytes]);
        }
      }
      if (splitter.finish()) out.push([splitter.next() as string, splitter.lineBytes]);
      return out;
    };
    const ascii = lines("\uFEFFa b\r\n  \nlonger than eight\nc|d\ne|f");
    expect(ascii).toEqual([
      ["a b", 3],
      ["longer t", 8],
      ["cd", 2],
      ["ef", 2],
    ]);
    expect(lines("\uFEFFa b\r\n  \nlonger than eight\nc|d\né|f")).toEqual([
      ...ascii.slice(0, 3),
      ["éf", 3],
    ]);
  });

  it("finds no last line when the input ended with LF", () => {
    const splitter = new LineSplitter(64);
    splitter.feed(bytes("a\n"));
    expect(splitter.next()).toBe("a");
    expect(splitter.next()).toBeUndefined();
    expect(splitter.finish()).toBe(false);
    expect(splitter.next()).toBeUndefined();
  });

  it("consumed: where the line next() gave ends in its chunk, for any chunking", () => {
    const line = fc.stringMatching(/^[a-z \r]{0,12}$/);
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        (texts, cuts) => {
          const input = Buffer.from(texts.map((text) => `${text}\n`).join(""));
          const splitter = new LineSplitter(1024, false);
          const ends: number[] = [];
          let at = 0;
          for (const cut of [...cuts.sort((a, b) => a - b), input.length]) {
            const chunk = input.subarray(at, Math.max(at, Math.min(cut, input.length)));
            if (chunk.length === 0) continue;
            splitter.feed(chunk);
            for (let got = splitter.next(); got !== undefined; got = splitter.next()) {
              ends.push(at + splitter.consumed);
            }
            at += chunk.length;
          }
          // Each end is just past the LF of a non-blank line.
          const expected: number[] = [];
          let end = 0;
          for (const text of texts) {
            end += Buffer.byteLength(text) + 1;
            if (text.replace(/\r$/, "").trim() !== "") expected.push(end);
          }
          expect(ends).toEqual(expected);
        },
      ),
    );
  });

  it("consumed counts a dropped byte order mark; atStart false keeps one mid-file", () => {
    const start = new LineSplitter(64);
    start.feed(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a));
    expect(start.next()).toBe("a");
    expect(start.consumed).toBe(5);
    const middle = new LineSplitter(64, false);
    middle.feed(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a));
    expect(middle.next()).toBe("\ufeffa");
    expect(middle.consumed).toBe(5);
  });

  /** Bytes rich in what JSON escapes (quote, backslash, tab, CR, other controls), chunked. */
  const escapable = fc
    .array(
      fc.constantFrom(0x0a, 0x0d, 0x09, 0x01, 0x1f, 0x22, 0x5c, 0x20, 0x61, 0x7f, 0xc3, 0xa9, 0xff),
      { maxLength: 200 },
    )
    .chain((input) =>
      fc.uniqueArray(fc.integer({ min: 0, max: input.length })).map((cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), input.length];
        const all = Uint8Array.from(input);
        return at.slice(1).map((end, i) => all.subarray(at[i], end));
      }),
    );

  it("says a line is plain only when JSON.stringify would give it between quotes", () => {
    fc.assert(
      fc.property(escapable, (chunks) => {
        const splitter = new LineSplitter(1024);
        const check = () => {
          for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
            if (splitter.plain) expect(JSON.stringify(line)).toBe(`"${line}"`);
          }
        };
        for (const chunk of chunks) {
          splitter.feed(chunk);
          check();
        }
        splitter.finish();
        check();
      }),
      { numRuns: 2000 },
    );
  });

  it("says every line of an ASCII chunk holding nothing JSON escapes is plain", () => {
    const splitter = new LineSplitter(1024);
    splitter.feed(Buffer.from('a "b"\nc\tx\nplain one\r\nplain two\nlast \\ x\n'));
    const plain: [string, boolean][] = [];
    for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
      plain.push([line, splitter.plain]);
    }
    expect(plain).toEqual([
      ['a "b"', false],
      ["c\tx", false],
      ["plain one", true],
      ["plain two", true],
      ["last \\ x", false],
    ]);
  });
});
