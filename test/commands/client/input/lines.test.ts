import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ByteStream,
  type ChunkLines,
  LineReader,
  sourceOpener,
} from "../../../../src/commands/client/input/lines.js";

const bytes = (text: string) => new TextEncoder().encode(text);

async function collect(reader: AsyncIterable<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of reader) lines.push(line);
  return lines;
}

function drain(lines: ChunkLines): string[] {
  const out: string[] = [];
  for (let line = lines.next(); line !== undefined; line = lines.next()) out.push(line);
  return out;
}

function fromChunks(...chunks: string[]): ByteStream {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
}

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

  it("chunks() hands out the lines of each chunk read, chunk by chunk, across sources", async () => {
    const reader = new LineReader(
      ["-", join(dir, "two.log")],
      options([], fromChunks("a\nb\nc", "d\n\n", "e")),
    );
    const arrays: string[][] = [];
    for await (const lines of reader.chunks()) arrays.push(drain(lines));
    // "e" ends no line: its chunk hands out none, the end of stdin hands it out.
    expect(arrays).toEqual([["a", "b"], ["cd"], [], ["e"], ["two-a"], ["two-b"]]);
    expect(reader.stats).toEqual({ lines: 6, cut: 0, unreadable: 0 });
  });

  it("chunks() reads the next chunk only once the lines of the last are used up", async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield bytes(`line ${i}a\nline ${i}b\n`);
      }
    }
    const reader = new LineReader(["-"], { ...options(), open: async () => source() });
    const iterator = reader.chunks();
    const first = (await iterator.next()).value as ChunkLines;
    expect(first.next()).toBe("line 0a");
    expect(reader.stats.lines).toBe(1);
    expect((await iterator.next()).value?.next()).toBe("line 0b");
    expect(pulled).toBe(1);
    expect(first.next()).toBeUndefined();
    expect(drain((await iterator.next()).value as ChunkLines)).toEqual(["line 1a", "line 1b"]);
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
