import { once } from "node:events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import pinoTransport from "../../src/node/pino.js";
import { fakeTarget } from "./fakes.js";

async function shipped(write: (stream: Awaited<ReturnType<typeof pinoTransport>>) => void) {
  const target = fakeTarget();
  const stream = await pinoTransport({ ...target.options, compress: false });
  write(stream);
  stream.end();
  await once(stream, "close");
  return target.received().map((entry) => entry.message);
}

describe("the pino transport's lines", () => {
  it("takes UTF-8 bytes cut inside a character, and strings in another encoding of UTF-8", async () => {
    const bytes = Buffer.from('{"level":30,"msg":"crème 😀"}\n');
    const messages = await shipped((stream) => {
      for (let at = 0; at < bytes.length; at += 3) stream.write(bytes.subarray(at, at + 3));
      stream.write(Buffer.from('{"level":30,"msg":"café"}\n').toString("base64"), "base64");
    });
    expect(messages).toEqual(["crème 😀", "café"]);
  });

  it("ships each line once, in order, wherever the text is cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 10 }),
        fc.constantFrom("\n", "\r\n"),
        async (words, cuts, newline) => {
          const text = words
            .map((w, n) => JSON.stringify({ level: 30, msg: `${n}:${w}` }))
            .join(newline);
          const at = [...new Set(cuts.map((cut) => cut % text.length))].sort((a, b) => a - b);
          const pieces = [0, ...at].map((start, k) => text.slice(start, [...at, text.length][k]));
          const messages = await shipped((stream) => {
            for (const piece of pieces) if (piece !== "") stream.write(piece);
          });
          expect(messages).toEqual(words.map((w, n) => `${n}:${w}`));
        },
      ),
      { numRuns: 100 },
    );
  });
});
