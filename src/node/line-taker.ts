/**
 * Text written to the Node streams (createShipperStream, the pino
 * transport) cut into lines for a LineShipper: at "\n", a "\r" before it
 * dropped. A line longer than MAX_LINE_CHARS goes in pieces of that length,
 * and so does text kept while it waits for its "\n": what is kept never
 * passes that length.
 */
import type { StringDecoder } from "node:string_decoder";
import type { LineShipper } from "./line-shipper.js";

/** Longest line kept whole, in characters. */
export const MAX_LINE_CHARS = 512 * 1024;

const CARRIAGE_RETURN = 13;

/** Ships the lines of the text it takes, the rest of the last text first; keeps the unfinished end. */
export class LineTaker {
  readonly #lines: LineShipper;
  #rest = "";

  constructor(lines: LineShipper) {
    this.#lines = lines;
  }

  /**
   * Ships the whole lines of what was kept and `text`, and keeps the rest;
   * false = wait for ready(). The text is not joined to what was kept:
   * only the line they share is.
   */
  take(text: string): boolean {
    let ready = true;
    let start = 0;
    let end = text.indexOf("\n");
    if (this.#rest !== "" && end >= 0) {
      ready = this.line(this.#rest + text.slice(0, end));
      this.#rest = "";
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    for (; end >= 0; end = text.indexOf("\n", start)) {
      ready = this.line(text.slice(start, end)) && ready;
      start = end + 1;
    }
    let rest = start === 0 ? this.#rest + text : text.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      ready = this.#lines.write(rest.slice(0, MAX_LINE_CHARS)) && ready;
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.#rest = rest;
    return ready;
  }

  /**
   * Ships the lines of the last `text` (a decoder's end; "" for none), then
   * what was kept as the last line, even when the shipper is full; false =
   * wait for ready().
   */
  finish(text: string): boolean {
    const took = text === "" || this.take(text);
    return this.#end() && took;
  }

  /** Ships what was kept as the last line. */
  #end(): boolean {
    const rest = this.#rest;
    this.#rest = "";
    return rest === "" || this.line(rest);
  }

  /**
   * Ships one line without the "\r" before its "\n"; a line longer than
   * MAX_LINE_CHARS goes in pieces of that length. LineShipper skips a blank
   * line.
   */
  line(text: string): boolean {
    const line = text.charCodeAt(text.length - 1) === CARRIAGE_RETURN ? text.slice(0, -1) : text;
    if (line.length <= MAX_LINE_CHARS) return this.#lines.write(line);
    let ready = true;
    for (let at = 0; at < line.length; at += MAX_LINE_CHARS) {
      ready = this.#lines.write(line.slice(at, at + MAX_LINE_CHARS)) && ready;
    }
    return ready;
  }
}

/** A written chunk as text: a string in UTF-8 as it is, any other decoded. */
export function textOf(
  chunk: string | Buffer,
  encoding: BufferEncoding,
  decoder: StringDecoder,
): string {
  if (typeof chunk !== "string") return decoder.write(chunk);
  if (encoding === "utf8" || encoding === "utf-8") return chunk;
  return decoder.write(Buffer.from(chunk, encoding));
}
