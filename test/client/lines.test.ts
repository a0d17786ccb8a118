import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ByteStream, LineReader, LineSplitter, sourceOpener } from "../../src/client/lines.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function split(chunks: (string | Uint8Array)[], maxLineBytes = 1024): string[] {
  const splitter = new LineSplitter(maxLineBytes);
  const out: string[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? bytes(chunk) : chunk, out);
  splitter.end(out);
  return out;
}

async function collect(reader: AsyncIterable<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of reader) lines.push(line);
  return lines;
}

function fromChunks(...chunks: string[]): ByteStream {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
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

describe("LineReader", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lines-"));
    await writeFile(join(dir, "one.log"), "one-a\r\none-b\n");
    await writeFile(join(dir, "two.log"), "two-a\n\ntwo-b");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const options = (errors: string[] = [], stdin: ByteStream = fromChunks()) => ({
    maxLineBytes: 1024,
    open: sourceOpener(stdin),
    onError: (source: string, error: unknown) =>
      errors.push(`${source}: ${(error as NodeJS.ErrnoException).code}`),
  });

  it("reads files in order, stdin where `-` stands", async () => {
    const reader = new LineReader(
      [join(dir, "one.log"), "-", join(dir, "two.log")],
      options([], fromChunks("in-a\nin", "-b\n")),
    );
    expect(await collect(reader)).toEqual(["one-a", "one-b", "in-a", "in-b", "two-a", "two-b"]);
    expect(reader.stats).toEqual({ lines: 6, cut: 0, unreadable: 0 });
  });

  it("reports a file it cannot open or read and goes on with the next", async () => {
    const errors: string[] = [];
    const missing = join(dir, "missing.log");
    const reader = new LineReader([missing, dir, join(dir, "one.log")], options(errors));
    expect(await collect(reader)).toEqual(["one-a", "one-b"]);
    expect(errors).toEqual([`${missing}: ENOENT`, `${dir}: EISDIR`]);
    expect(reader.stats.unreadable).toBe(2);
  });

  it("accepts string chunks from a stream with an encoding set", async () => {
    const stdin = new PassThrough();
    stdin.setEncoding("utf8");
    stdin.end("x€\ny\n");
    expect(await collect(new LineReader(["-"], options([], stdin)))).toEqual(["x€", "y"]);
  });

  it("counts cut lines across sources", async () => {
    const reader = new LineReader(["-"], {
      ...options([], fromChunks(`${"z".repeat(3000)}\nok\n`)),
      maxLineBytes: 1024,
    });
    expect((await collect(reader)).map((line) => line.length)).toEqual([1024, 2]);
    expect(reader.stats.cut).toBe(1);
  });

  it("reads a chunk only when the consumer asks for more lines", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield bytes(`line ${i}\n`);
      }
    }
    const reader = new LineReader(["-"], { ...options(), open: async () => source() });
    const iterator = reader[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe("line 0");
    expect((await iterator.next()).value).toBe("line 1");
    expect(pulled).toBe(2);
    await iterator.return?.(undefined);
  });

  it("chunks() hands out the lines of each chunk read as one array, across sources", async () => {
    const reader = new LineReader(
      ["-", join(dir, "two.log")],
      options([], fromChunks("a\nb\nc", "d\n\n", "e")),
    );
    const arrays: string[][] = [];
    for await (const lines of reader.chunks()) arrays.push(lines);
    expect(arrays).toEqual([["a", "b"], ["cd"], ["e"], ["two-a"], ["two-b"]]);
    expect(reader.stats).toEqual({ lines: 6, cut: 0, unreadable: 0 });
  });

  it("chunks() reads the next chunk only when the consumer asks for the next array", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield bytes(`line ${i}a\nline ${i}b\n`);
      }
    }
    const reader = new LineReader(["-"], { ...options(), open: async () => source() });
    const iterator = reader.chunks();
    expect((await iterator.next()).value).toEqual(["line 0a", "line 0b"]);
    expect((await iterator.next()).value).toEqual(["line 1a", "line 1b"]);
    expect(pulled).toBe(2);
    expect(reader.stats.lines).toBe(4);
    await iterator.return?.(undefined);
  });

  it("close() ends a read waiting on a silent source", async () => {
    const stdin = new PassThrough();
    const reader = new LineReader(["-", join(dir, "one.log")], options([], stdin));
    const iterator = reader[Symbol.asyncIterator]();
    stdin.write("first\n");
    expect((await iterator.next()).value).toBe("first");
    const pending = iterator.next();
    reader.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(stdin.destroyed).toBe(true);
    expect(reader.stats.unreadable).toBe(0);
  });
});
