/**
 * How the pino transport's stream takes pino's text. pino-abstract-transport
 * builds the stream (split2's Transform) and ends it; its writable side
 * here cuts the text thread-stream writes into lines and ships each line's
 * entry at once, so that no line goes through the readable side (one push
 * and one "data" event a line). While the shipper holds more than its
 * queue bound, the write of the text is not called back (and the stream
 * shows as paused): thread-stream then waits for "drain", and pino's
 * worker with it.
 */

import type { Transform, TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { LineShipper } from "./line-shipper.js";
import { MAX_LINE_CHARS } from "./shipper-stream.js";

const CARRIAGE_RETURN = 13;

/** Ships the lines of `text`, the rest of the last text first; keeps the unfinished end. */
class LineTaker {
  readonly #lines: LineShipper;
  #rest = "";

  constructor(lines: LineShipper) {
    this.#lines = lines;
  }

  /** Ships the whole lines of what was kept and `text`; false = wait for ready(). */
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
    this.#rest = start === 0 ? this.#rest + text : text.slice(start);
    return ready;
  }

  /** Ships what was kept as the last line. */
  end(): boolean {
    const rest = this.#rest;
    this.#rest = "";
    return rest === "" || this.line(rest);
  }

  /**
   * Ships one line without the "\r" before its "\n"; a line longer than
   * MAX_LINE_CHARS goes in pieces of that length. A blank line is skipped.
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

/**
 * Makes `stream` (pino-abstract-transport's) ship the lines written to it
 * through `lines`. It takes strings as thread-stream writes them, and
 * UTF-8 bytes.
 */
export function shipLinesOf(stream: Transform, lines: LineShipper): Transform {
  const taker = new LineTaker(lines);
  const decoder = new StringDecoder("utf8");
  const settle = (ready: boolean, callback: TransformCallback) => {
    if (ready) {
      callback();
      return;
    }
    stream.pause();
    const resume = () => {
      stream.resume();
      callback();
    };
    lines.ready().then(resume, resume);
  };
  stream._transform = (chunk: string | Buffer, encoding, callback) => {
    settle(taker.take(textOf(chunk, encoding, decoder)), callback);
  };
  stream._flush = (callback) => {
    const tail = decoder.end();
    settle((tail === "" || taker.take(tail)) && taker.end(), callback);
  };
  // Strings stay strings: no UTF-8 bytes made of them to be decoded back.
  (stream as unknown as WritableInternals)._writableState.decodeStrings = false;
  return stream;
}

/** A chunk as text: a string in UTF-8 as it is, any other decoded. */
function textOf(chunk: string | Buffer, encoding: BufferEncoding, decoder: StringDecoder): string {
  if (typeof chunk !== "string") return decoder.write(chunk);
  if (encoding === "utf8" || encoding === "utf-8") return chunk;
  return decoder.write(Buffer.from(chunk, encoding));
}

/** The Writable's state, where its decodeStrings option is kept. */
interface WritableInternals {
  _writableState: { decodeStrings: boolean };
}
