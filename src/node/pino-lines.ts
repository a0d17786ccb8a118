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
import { LineTaker, textOf } from "./line-taker.js";

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
    settle(taker.finish(decoder.end()), callback);
  };
  // Strings stay strings: no UTF-8 bytes made of them to be decoded back.
  (stream as unknown as WritableInternals)._writableState.decodeStrings = false;
  return stream;
}

/** The Writable's state, where its decodeStrings option is kept. */
interface WritableInternals {
  _writableState: { decodeStrings: boolean };
}
