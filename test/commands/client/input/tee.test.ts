import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ByteStream } from "../../../../src/commands/client/input/lines.js";
import { Tee } from "../../../../src/commands/client/input/tee.js";
import { settle } from "../../../support/fake-time.js";

/** A stdout that takes writes only when the test says so. */
class SlowOutput extends Writable {
  text = "";
  private held: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 4 });
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    this.held.push(done);
  }

  release(): void {
    for (const done of this.held.splice(0)) done();
  }
}

/** A source of `chunks` that counts how many were read. */
function source(chunks: string[]): {
  stream: ByteStream & { destroyed: boolean };
  read: () => number;
} {
  let read = 0;
  const stream = {
    destroyed: false,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        read++;
        yield Buffer.from(chunk);
      }
    },
    destroy() {
      stream.destroyed = true;
    },
  };
  return { stream, read: () => read };
}

describe("Tee", () => {
  it("reads the next chunk only once a slow output has drained", async () => {
    const out = new SlowOutput();
    const tee = new Tee(out, () => {});
    const { stream, read } = source(["first line\n", "second\n", "third\n"]);
    const teed = await tee.opener(async () => stream)("-");
    const iterator = teed[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.toString()).toBe("first line\n");
    const next = iterator.next();
    await settle();
    expect(read()).toBe(1);
    out.release();
    expect((await next).value?.toString()).toBe("second\n");
    expect(read()).toBe(2);
    out.release();
    expect((await iterator.next()).value?.toString()).toBe("third\n");
    out.release();
    expect((await iterator.next()).done).toBe(true);
    expect(out.text).toBe("first line\nsecond\nthird\n");
  });

  it("destroy() reaches the source and stops waiting for the output", async () => {
    const out = new SlowOutput();
    const tee = new Tee(out, () => {});
    const { stream } = source(["a long first chunk\n", "b\n"]);
    const teed = (await tee.opener(async () => stream)("-")) as ByteStream & { destroy(): void };
    const iterator = teed[Symbol.asyncIterator]();
    await iterator.next();
    const next = iterator.next();
    teed.destroy();
    expect(stream.destroyed).toBe(true);
    expect((await next).done).toBe(false); // the wait ended without the output draining
  });

  it("warns once and stops copying when the output fails", async () => {
    const warnings: string[] = [];
    const out = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const tee = new Tee(out, (line) => warnings.push(line));
    tee.write(Buffer.from("a\n"));
    await settle();
    expect(tee.copying).toBe(false);
    expect(tee.write(Buffer.from("b\n"))).toBeUndefined();
    await settle();
    expect(warnings).toEqual([
      "shipper-client: --tee stopped: cannot write stdout (EPIPE); shipping goes on",
    ]);
  });
});
