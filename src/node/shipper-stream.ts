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
import type { LineShipperOptions } from "./node-options.js";

const STREAM_NAME = "udp-log-shipper stream";

/** Longest line kept whole, in characters. */
export const MAX_LINE_CHARS = 512 * 1024;

export type ShipperStreamOptions = LineShipperOptions;

export class ShipperStream extends Writable {
  readonly #lines: LineShipper;
  readonly #decoder = new StringDecoder("utf8");
  #rest = "";

  /** `jsonFormat` when the options name none, and the name its report line starts with. */
  constructor(options: ShipperStreamOptions, jsonFormat: JsonFormat = "auto", name = STREAM_NAME) {
    super({ decodeStrings: false });
    this.#lines = new LineShipper(options, jsonFormat, name);
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
    const text =
      typeof chunk === "string"
        ? encoding === "utf8" || encoding === "utf-8"
          ? chunk
          : Buffer.from(chunk, encoding).toString("utf8")
        : this.#decoder.write(chunk);
    if (this.#take(text)) callback();
    else this.#lines.ready().then(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    const last = this.#rest + this.#decoder.end();
    this.#rest = "";
    this.#lines.write(last.endsWith("\r") ? last.slice(0, -1) : last);
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

  /**
   * Ships the whole lines of what was kept and `text`, and keeps the rest;
   * false = wait for ready(). The text is not joined to what was kept: only
   * the line they share is.
   */
  #take(text: string): boolean {
    let ready = true;
    let start = 0;
    let end = text.indexOf("\n");
    if (this.#rest !== "" && end >= 0) {
      ready = this.#write(this.#rest + text.slice(0, end));
      this.#rest = "";
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    for (; end >= 0; end = text.indexOf("\n", start)) {
      ready = this.#write(text.slice(start, end)) && ready;
      start = end + 1;
    }
    let rest = this.#rest + text.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      ready = this.#lines.write(rest.slice(0, MAX_LINE_CHARS)) && ready;
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.#rest = rest;
    return ready;
  }

  /** Ships one line without the "\r" before its "\n". */
  #write(line: string): boolean {
    const cut = line.length > 0 && line.charCodeAt(line.length - 1) === 13;
    return this.#lines.write(cut ? line.slice(0, -1) : line);
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
