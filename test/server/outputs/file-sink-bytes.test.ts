/**
 * What FileSink writes for a batch is its entries, each on its own line, in
 * order, byte for byte as `Buffer.from(lines.join("\n") + "\n")` makes them:
 * whatever the entries hold (any Unicode, lone surrogates, empty messages)
 * and whatever the batch says its size is.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FileSink } from "../../../src/server/outputs/file-sink.js";
import type { OutputBatch } from "../../../src/server/outputs/types.js";

const dir = mkdtempSync(join(tmpdir(), "file-sink-bytes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;

async function written(batch: OutputBatch): Promise<Buffer> {
  const path = join(dir, `out-${files++}`);
  const sink = new FileSink({ path, maxBytes: 0, maxAgeMs: 0, keep: 1, gzip: false, now: () => 0 });
  const result = await sink.deliver(batch);
  await sink.close();
  expect(result).toEqual({ ok: true });
  // A batch of no entries writes nothing, and opens no file.
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

function expected(messages: readonly (readonly string[])[]): Buffer {
  const lines = messages.flat();
  return Buffer.from(lines.map((line) => `${line}\n`).join(""), "utf8");
}

const entry = fc.oneof(
  fc.string({ unit: "binary" }).map((s) => JSON.stringify({ s })),
  fc.string({ unit: "grapheme" }).map((s) => `{"m":"${s.replaceAll('"', "")}"}`),
  // Lone surrogates: one replacement character each in UTF-8.
  fc.constantFrom('{"a":"\ud800"}', '{"b":"x\udfff"}', '{"c":"\ud83d\ude00\ud83d"}'),
);
const messages = fc.array(fc.array(entry, { maxLength: 6 }), { minLength: 1, maxLength: 6 });

function batchOf(list: readonly (readonly string[])[], bytesOff: number): OutputBatch {
  let bytes = 0;
  for (const m of list) for (const e of m) bytes += Buffer.byteLength(e);
  return {
    messages: list.map((entries, i) => ({ id: `m${i}`, entries })),
    entries: list.reduce((n, m) => n + m.length, 0),
    bytes: Math.max(0, bytes + bytesOff),
  };
}

describe("FileSink writes each entry on its own line, byte for byte", () => {
  it("for any entries, with the batch's size right", async () => {
    await fc.assert(
      fc.asyncProperty(messages, async (list) => {
        expect((await written(batchOf(list, 0))).equals(expected(list))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("for any entries, with the batch's size wrong either way", async () => {
    await fc.assert(
      fc.asyncProperty(messages, fc.integer({ min: -8, max: 8 }), async (list, off) => {
        expect((await written(batchOf(list, off))).equals(expected(list))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
