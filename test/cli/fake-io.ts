/** A CliIO that keeps what is written, for running option parsing and `main` in-process. */
import { PassThrough, Writable } from "node:stream";
import type { CliIO, Signal } from "../../src/cli/io.js";

class Keep extends Writable {
  text = "";

  constructor() {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export class FakeIO implements CliIO {
  readonly stdin = Object.assign(new PassThrough(), { isTTY: false });
  readonly stdout = new Keep();
  readonly stderr = new Keep();

  onSignal(_signal: Signal, _handler: () => void): () => void {
    return () => {};
  }

  exit(code: number): never {
    throw new Error(`exit ${code}`);
  }

  stderrText(): string {
    return this.stderr.text;
  }
}
