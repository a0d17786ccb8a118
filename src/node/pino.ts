/**
 * `udp-log-shipper/pino`: a pino transport, built with
 * pino-abstract-transport. pino runs it on a worker thread and writes it
 * its JSON lines; each is mapped as `shipper-client --json-format pino`
 * maps it (numeric levels to names, `time` to `timestamp`, `msg` to
 * `message`, `hostname` to `host`, `name` to `service` unless the
 * `service` option is given, every other field, `err` with its stack
 * included, to `metadata`) and shipped. Options it cannot use are told in
 * one stderr line, and its lines dropped and counted.
 *
 *   pino({ transport: { target: "udp-log-shipper/pino",
 *     options: { target: "logs.internal:9999", service: "api" } } });
 *
 * pino-abstract-transport builds the stream and ends it; its writable side
 * cuts pino's text into lines and ships each line's entry at once
 * (pino-lines.ts), and holds pino's text back while the
 * shipper is full. At exit pino ends it and waits (thread-stream's
 * flushSync and end on process "exit", up to 10 s): the last batch is
 * sent then, waiting at most `drainTimeoutMs` (default 5,000 here). It
 * never throws into the app; entries it drops are counted and, at the end,
 * told in one stderr line.
 */
import { createRequire } from "node:module";
import type { Transform } from "node:stream";
import { preparePinoShape } from "../entries/pino-shape.js";
import { LineShipper, toStderr } from "./line-shipper.js";
import type { LineShipperOptions } from "./node-options.js";
import { shipLinesOf } from "./pino-lines.js";

/** close()'s longest wait in the transport: below thread-stream's 10 s limit on end(). */
export const PINO_DRAIN_TIMEOUT_MS = 5_000;

/** Options of the transport: createShipper's and the line mapping's, all plain values. */
export type PinoTransportOptions = LineShipperOptions;

const NAME = "udp-log-shipper/pino";

type AbstractTransport = typeof import("pino-abstract-transport");
let loaded: AbstractTransport | undefined;

/**
 * pino-abstract-transport, a CommonJS package, by require at the first
 * transport: an ES import of it has Node read its source for names to
 * export first, and a program that imports the library without the
 * transport never loads it.
 */
function abstractTransport(): AbstractTransport {
  loaded ??= createRequire(import.meta.url)("pino-abstract-transport") as AbstractTransport;
  return loaded;
}

/** The transport's stream: pino (or thread-stream) loads this module and calls it. */
export default async function pinoTransport(options: PinoTransportOptions): Promise<Transform> {
  let lines: LineShipper;
  try {
    lines = new LineShipper({ drainTimeoutMs: PINO_DRAIN_TIMEOUT_MS, ...options }, "pino", NAME);
  } catch (error) {
    return refusingTransport(error);
  }
  preparePinoShape();
  const stream = abstractTransport()(
    (source) => {
      // Nothing comes out of it (pino-lines.ts): flowing, it ends when its writable side does.
      source.resume();
    },
    {
      metadata: false,
      close: async () => {
        await lines.close();
      },
    },
  );
  return shipLinesOf(stream, lines);
}

/**
 * With options it cannot use, the transport does not throw into the app:
 * it says why at once, takes the lines, and tells at close how many it
 * dropped.
 */
function refusingTransport(error: unknown): Transform {
  const reason = error instanceof Error ? error.message : String(error);
  toStderr(`${NAME}: not shipping: ${reason}`);
  let dropped = 0;
  return abstractTransport()(
    (source) => {
      source.resume();
    },
    {
      parseLine: (line) => {
        if (line.trim().length > 0) dropped++;
        return null;
      },
      metadata: false,
      close: async () => {
        if (dropped > 0) toStderr(`${NAME}: ${dropped} entries dropped (invalid-option)`);
      },
    },
  );
}
