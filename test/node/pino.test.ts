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

  it("with options it cannot use, takes the lines and closes without throwing", async () => {
    const stream = await pinoTransport({ target: "logs.invalid:0" });
    stream.write('{"level":30,"msg":"a"}\n{"level":30,');
    stream.end('"msg":"b"}');
    await once(stream, "finish");
    expect(stream.writableFinished).toBe(true);
  });
});
