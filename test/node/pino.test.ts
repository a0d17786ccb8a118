import { once } from "node:events";
import { describe, expect, it } from "vitest";
import pinoTransport from "../../src/node/pino.js";
import { fakeTarget } from "./fakes.js";

describe("the pino transport's stream", () => {
  it("ships pino's text as thread-stream writes it: strings cut anywhere, mapped as pino", async () => {
    const target = fakeTarget();
    const stream = await pinoTransport({ ...target.options, service: "api" });
    const lines = [
      '{"level":30,"time":1764000000000,"pid":7,"hostname":"box","name":"app","req":{"id":1},"msg":"one"}',
      '{"level":50,"time":1764000000001,"err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at x"},"msg":"two ü"}',
    ];
    const text = `${lines.join("\n")}\n`;
    for (let at = 0; at < text.length; at += 13) stream.write(text.slice(at, at + 13));
    stream.end();
    await once(stream, "close");
    expect(target.received()).toEqual([
      {
        timestamp: "2025-11-24T16:00:00.000Z",
        level: "INFO",
        message: "one",
        service: "api",
        host: "box",
        metadata: { pid: 7, req: { id: 1 } },
      },
      {
        timestamp: "2025-11-24T16:00:00.001Z",
        level: "ERROR",
        message: "two ü",
        service: "api",
        host: "web-1",
        metadata: { err: { type: "Error", message: "boom", stack: "Error: boom\n    at x" } },
      },
    ]);
  });

  it("skips blank lines, drops the \\r of \\r\\n, and ships the last line without a break", async () => {
    const target = fakeTarget();
    const stream = await pinoTransport(target.options);
    stream.write('{"level":30,"msg":"a"}\r\n\n  \n{"level":40,');
    stream.end('"msg":"b"}\r');
    await once(stream, "close");
    expect(target.received().map((e) => [e.level, e.message])).toEqual([
      ["INFO", "a"],
      ["WARNING", "b"],
    ]);
  });

  it("maps a line that is not pino's JSON as the other lines are: text, parsed or raw", async () => {
    const target = fakeTarget();
    const stream = await pinoTransport({ ...target.options, service: "api" });
    stream.end('plain text\n{ "level": 50, "msg": "spaced" }\n{"level":30,"msg":"x","msg":"y"}\n');
    await once(stream, "close");
    expect(target.received().map((e) => [e.level, e.message, e.service])).toEqual([
      ["INFO", "plain text", "api"],
      ["ERROR", "spaced", "api"],
      ["INFO", "y", "api"],
    ]);
  });

  it("pauses pino's lines while the shipper is above its queue bound, and loses nothing", async () => {
    let hold = true;
    const target = fakeTarget(() => (hold ? "hold" : "ok"));
    const stream = await pinoTransport({
      ...target.options,
      compress: false,
      maxQueuedBytes: 2_000,
      batchSize: 5,
    });
    let refused = 0;
    for (let n = 0; n < 2_000; n++) {
      if (!stream.write(`{"level":30,"msg":"line ${n}","n":${n}}\n`)) refused++;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toBeGreaterThan(0);
    expect(stream.isPaused()).toBe(true);
    hold = false;
    const release = setInterval(() => {
      for (const socket of target.factory.sockets) socket.release();
    }, 1);
    stream.end();
    await once(stream, "close");
    clearInterval(release);
    const received = target.received().map((e) => (e.metadata as { n: number }).n);
    expect(received).toEqual([...Array(2_000).keys()]);
  });

  it("ships a line longer than the bound in pieces", async () => {
    const target = fakeTarget();
    const stream = await pinoTransport({ ...target.options, compress: false });
    stream.end(`${"x".repeat(512 * 1024 + 10)}\n`);
    await once(stream, "close");
    expect(target.received().map((e) => (e.message as string).length)).toEqual([512 * 1024, 10]);
  });

  it("with options it cannot use, takes the lines and closes without throwing", async () => {
    const stream = await pinoTransport({ target: "logs.invalid:0" });
    stream.write('{"level":30,"msg":"a"}\n{"level":30,');
    stream.end('"msg":"b"}');
    await once(stream, "finish");
    expect(stream.writableFinished).toBe(true);
  });
});
