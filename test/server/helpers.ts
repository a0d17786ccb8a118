/** Server test fixtures: building datagrams, collecting output. */
import { Writable } from "node:stream";
import { deflateSync } from "node:zlib";

/** The loopback sender of test/support/udp.ts, for the server tests that import it from here. */

export const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");

/** What the original shipper sends: `CB F2 01` + zlib of the JSON text. */
export function legacyFrame(json: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xcb, 0xf2, 0x01]), deflateSync(Buffer.from(json))]);
}

/** A zlib stream that inflates to `bytes` of one JSON string: a small bomb. */
export function bomb(bytes: number): Uint8Array {
  const text = `[{"message":"${"A".repeat(bytes)}"}]`;
  return Buffer.concat([
    Buffer.from([0xcb, 0xf2, 0x01]),
    deflateSync(Buffer.from(text), { level: 9 }),
  ]);
}

/** A Writable that keeps what it is given. */
export class Collector extends Writable {
  readonly chunks: string[] = [];

  constructor() {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }

  lines(): string[] {
    return this.chunks.join("").split("\n").slice(0, -1);
  }
}
