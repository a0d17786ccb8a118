import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FileOutput, linesIn, openFdOutput, PIPE_BUF, pieces } from "../../src/server/fd-output.js";

const dir = mkdtempSync(join(tmpdir(), "shipper-fd-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("linesIn", () => {
  it("counts the newlines before an offset", () => {
    const text = Buffer.from("a\nbb\nccc\n");
    expect([0, 1, 2, 4, 5, 9].map((end) => linesIn(text, end))).toEqual([0, 0, 1, 1, 2, 3]);
  });
});

describe("pieces", () => {
  it("cuts whole lines into pieces of at most the limit; a longer line is a piece of its own", () => {
    const text = Buffer.from("aaa\nbbb\ncccccccccc\nd\n");
    expect(pieces(text, 8).map(String)).toEqual(["aaa\nbbb\n", "cccccccccc\n", "d\n"]);
    expect(pieces(text, 4).map(String)).toEqual(["aaa\n", "bbb\n", "cccccccccc\n", "d\n"]);
    expect(pieces(Buffer.alloc(0), 8)).toEqual([]);
  });

  it("gives back the same bytes, each piece whole lines within the limit unless one line is longer", () => {
    const line = fc.string({ maxLength: 40 }).map((s) => `${s.replaceAll("\n", " ")}\n`);
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (lines, limit) => {
          const buffer = Buffer.from(lines.join(""));
          const parts = pieces(buffer, limit);
          expect(Buffer.concat(parts).equals(buffer)).toBe(true);
          for (const part of parts) {
            expect(part.at(-1)).toBe(0x0a);
            if (part.length > limit) expect(linesIn(part, part.length)).toBe(1);
          }
        },
      ),
    );
    expect(PIPE_BUF).toBe(4096);
  });
});

describe("FileOutput", () => {
  it("writes every line and answers how many", () => {
    const path = join(dir, "plain.ndjson");
    const fd = openSync(path, "w");
    const output = new FileOutput(fd, true);
    const answers: [string | undefined, number | undefined][] = [];
    const ok = output.write('{"a":1}\n{"b":2}\n', (error, lines) =>
      answers.push([error?.message, lines]),
    );
    closeSync(fd);
    expect(ok).toBe(true);
    expect(answers).toEqual([[undefined, 2]]);
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n{"b":2}\n');
  });

  it.skipIf(process.platform !== "linux")(
    "answers ENOSPC with no line written on a device that is always full",
    () => {
      const fd = openSync("/dev/full", "w");
      const output = new FileOutput(fd, false);
      const answers: [unknown, number | undefined][] = [];
      output.write("x\n", (error, lines) =>
        answers.push([(error as { code?: unknown })?.code, lines]),
      );
      closeSync(fd);
      expect(answers).toEqual([["ENOSPC", 0]]);
    },
  );

  it("after abort, answers every write with an error and writes nothing", () => {
    const path = join(dir, "aborted.ndjson");
    const fd = openSync(path, "w");
    const output = new FileOutput(fd, true);
    output.abort();
    const answers: [unknown, number | undefined][] = [];
    output.write("x\n", (error, lines) =>
      answers.push([(error as { code?: unknown })?.code, lines]),
    );
    closeSync(fd);
    expect(answers).toEqual([["ABORTED", 0]]);
    expect(readFileSync(path, "utf8")).toBe("");
  });
});

describe("openFdOutput", () => {
  it("writes a regular file itself and leaves what it cannot examine to the caller", () => {
    const fd = openSync(join(dir, "open.ndjson"), "w");
    expect(openFdOutput(fd)).toBeInstanceOf(FileOutput);
    closeSync(fd);
    expect(openFdOutput(987_654)).toBeUndefined();
  });
});
