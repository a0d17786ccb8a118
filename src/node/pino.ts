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
 * pino-abstract-transport cuts pino's text into lines and hands each to
 * `parseLine`, here the mapping itself: the line becomes its entry's JSON
 * text there, parsed once at most, and the source stream carries entries.
 * The transport hands them to the shipper and pauses the source while the
 * shipper is full. At exit pino ends it and waits (thread-stream's
 * flushSync and end on process "exit", up to 10 s): the last batch is
 * sent then, waiting at most `drainTimeoutMs` (default 5,000 here). It
 * never throws into the app; entries it drops are counted and, at the end,
 * told in one stderr line.
 */
import type { Transform } from "node:stream";
import build from "pino-abstract-transport";
import type { SerializedEntry } from "../entries/index.js";
import { LineShipper, toStderr } from "./line-shipper.js";
import type { LineShipperOptions } from "./node-options.js";
import { MAX_LINE_CHARS } from "./shipper-stream.js";

/** close()'s longest wait in the transport: below thread-stream's 10 s limit on end(). */
export const PINO_DRAIN_TIMEOUT_MS = 5_000;

/** Options of the transport: createShipper's and the line mapping's, all plain values. */
export type PinoTransportOptions = LineShipperOptions;

const NAME = "udp-log-shipper/pino";
const CARRIAGE_RETURN = 13;

/** What the source stream carries: a line's entry, or the entries of a line cut in pieces. */
type Shipment = SerializedEntry | readonly SerializedEntry[];

/** The transport's stream: pino (or thread-stream) loads this module and calls it. */
export default async function pinoTransport(options: PinoTransportOptions): Promise<Transform> {
  let lines: LineShipper;
  try {
    lines = new LineShipper({ drainTimeoutMs: PINO_DRAIN_TIMEOUT_MS, ...options }, "pino", NAME);
  } catch (error) {
    return refusingTransport(error);
  }
  const stream = build(
    (source) => {
      source.on("data", (shipment: Shipment) => {
        const ready = Array.isArray(shipment)
          ? shipment.reduce((all: boolean, entry) => lines.ship(entry) && all, true)
          : lines.ship(shipment as SerializedEntry);
        if (ready) return;
        source.pause();
        lines.ready().then(() => source.resume());
      });
    },
    {
      parseLine: (line) => shipmentOf(lines, line),
      metadata: false,
      close: async () => {
        await lines.close();
      },
    },
  );
  return takingText(stream);
}

/**
 * pino-abstract-transport's stream (split2) cuts its text at /\r?\n/ and
 * takes it as UTF-8 bytes, made from the strings thread-stream writes
 * then decoded back. Here it takes the strings as they are (split2's
 * StringDecoder passes a string through) and cuts at "\n", which a string
 * search finds faster than a regular expression: shipmentOf drops the
 * "\r" before it.
 */
/** What takingText sets: split2's matcher and the Writable's decodeStrings option. */
interface SplitInternals {
  matcher: string | RegExp;
  _writableState: { decodeStrings: boolean };
}

function takingText(stream: Transform): Transform {
  const internals = stream as unknown as SplitInternals;
  internals.matcher = "\n";
  internals._writableState.decodeStrings = false;
  return stream;
}

/**
 * A line's entry; a line longer than MAX_LINE_CHARS is cut in pieces of
 * that length, each an entry. null for a blank line: the source skips it.
 * The last line of the text may keep the "\r" of a "\r\n" cut short.
 */
function shipmentOf(lines: LineShipper, text: string): Shipment | null {
  const line = text.charCodeAt(text.length - 1) === CARRIAGE_RETURN ? text.slice(0, -1) : text;
  if (line.length <= MAX_LINE_CHARS) return lines.entry(line) ?? null;
  const entries: SerializedEntry[] = [];
  for (let at = 0; at < line.length; at += MAX_LINE_CHARS) {
    const entry = lines.entry(line.slice(at, at + MAX_LINE_CHARS));
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
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
  return build(
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
