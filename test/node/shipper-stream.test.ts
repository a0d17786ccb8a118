import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createShipperStream } from "../../src/node/shipper-stream.js";
import { fakeTarget } from "./fakes.js";

function line(n: number): string {
  return JSON.stringify({ level: 30, time: 1, msg: `line ${n}`, n });
}

describe("createShipperStream", () => {
  it("takes lines cut anywhere between chunks, CRLF too, and the last line without a break", async () => {
    const target = fakeTarget();
    const stream = createShipperStream(target.options);
    const text = `${line(0)}\r\n${line(1)}\n\n${line(2)}`;
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 7) stream.write(bytes.subarray(at, at + 7));
    stream.end();
    const summary = await stream.shipped();
    expect(summary).toMatchObject({ entries: 3, sent: 3, dropped: 0 });
    expect(target.received().map((e) => e.message)).toEqual(["line 0", "line 1", "line 2"]);
  });

  it("gives the same lines however the text is cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (messages, crlf, cuts) => {
          const target = fakeTarget();
          const stream = createShipperStream(target.options);
          const text = messages
            .map((msg, n) => `${JSON.stringify({ level: 30, msg })}${crlf[n] ? "\r\n" : "\n"}`)
            .join("");
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b);
          let from = 0;
          for (const at of [...points, bytes.length]) {
            stream.write(bytes.subarray(from, at));
            from = at;
          }
          stream.end();
          await stream.shipped();
          expect(target.received().map((e) => e.message)).toEqual(messages);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps a multi-byte character cut between two chunks", async () => {
    const target = fakeTarget();
    const stream = createShipperStream(target.options);
    const bytes = Buffer.from('{"msg":"héllo €","level":30,"time":1}\n');
    const cut = bytes.indexOf(0xe2) + 1;
    stream.write(bytes.subarray(0, cut));
    stream.end(bytes.subarray(cut));
    await stream.shipped();
    expect(target.received()[0]?.message).toBe("héllo €");
  });

  it("holds writes while the shipper is above its queue bound, and loses nothing", async () => {
    let hold = true;
    const target = fakeTarget(() => (hold ? "hold" : "ok"));
    const stream = createShipperStream({
      ...target.options,
      compress: false,
      maxQueuedBytes: 2_000,
      batchSize: 5,
    });
    let refused = 0;
    for (let n = 0; n < 400; n++) {
      if (!stream.write(`${line(n)}\n`)) refused++;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toBeGreaterThan(0);
    expect(stream.writableLength).toBeGreaterThan(0);
    hold = false;
    const release = setInterval(() => {
      for (const socket of target.factory.sockets) socket.release();
    }, 1);
    stream.end();
    const summary = await stream.shipped();
    clearInterval(release);
    expect(summary).toMatchObject({ entries: 400, sent: 400, dropped: 0 });
  });

  it("ships a line longer than the bound in pieces", async () => {
    const target = fakeTarget();
    const stream = createShipperStream({ ...target.options, compress: false });
    stream.end("x".repeat(512 * 1024 + 10));
    const summary = await stream.shipped();
    expect(summary.entries).toBe(2);
  });

  it("ships a whole line longer than the bound in pieces too, the next line after them", async () => {
    const target = fakeTarget();
    const stream = createShipperStream({ ...target.options, compress: false });
    stream.end(`${"x".repeat(512 * 1024 + 10)}\r\nlast\n`);
    await stream.shipped();
    const messages = target.received().map((entry) => entry.message as string);
    expect(messages.map((message) => message.length)).toEqual([512 * 1024, 10, 4]);
    expect(messages[2]).toBe("last");
  });
});
