/**
 * createShipperStream(options): a Writable that takes NDJSON (what bunyan,
 * winston's Stream transport, pino's destination or any logger writes) and
 * ships each line, mapped as `shipper-client` maps it (`jsonFormat`
 * default `auto`: the logger is detected per line). Lines are cut at "\n"
 * (a "\r" before it is dropped); a line longer than MAX_LINE_CHARS is
 * shipped in pieces of that length. end() sends the last line and batch and
 * waits, at most drainTimeoutMs, before "finish".
 */

import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import type { ShipperSummary } from "../client/summary.js";
import type { JsonFormat } from "../entries/json-formats.js";
import { LineShipper } from "./line-shipper.js";
import { LineTaker, textOf } from "./line-taker.js";
import type { LineShipperOptions } from "./node-options.js";

export { MAX_LINE_CHARS } from "./line-taker.js";

const STREAM_NAME = "udp-log-shipper stream";

export type ShipperStreamOptions = LineShipperOptions;

export class ShipperStream extends Writable {
  readonly #lines: LineShipper;
  readonly #decoder = new StringDecoder("utf8");
  readonly #taker: LineTaker;

  /** `jsonFormat` when the options name none, and the name its report line starts with. */
  constructor(options: ShipperStreamOptions, jsonFormat: JsonFormat = "auto", name = STREAM_NAME) {
    super({ decodeStrings: false });
    this.#lines = new LineShipper(options, jsonFormat, name);
    this.#taker = new LineTaker(this.#lines);
  }

  /** The shipper's counters so far. */
  summary(): ShipperSummary {
    return this.#lines.shipper.summary();
  }

  /** Resolves with the final counters once the stream has finished (or been destroyed). */
  shipped(): Promise<ShipperSummary> {
    const close = () => this.#lines.close();
    return finished(this).then(close, close);
  }

  override _write(
    chunk: Buffer | string,
    encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.#taker.take(textOf(chunk, encoding, this.#decoder))) callback();
    else this.#lines.ready().then(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#taker.finish(this.#decoder.end());
    this.#lines.close().then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#lines.close().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

/**
 * A Writable that ships the NDJSON lines written to it. Only `target` is
 * required: `createShipperStream({ target: "logs.internal:9999" })`.
 * Throws an InvalidOptionError naming a bad option.
 */
export function createShipperStream(options: ShipperStreamOptions): ShipperStream {
  return new ShipperStream(options);
}
