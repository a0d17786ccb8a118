/**
 * Lines of logger JSON (or text) in, entries shipped: the part the pino
 * transport and createShipperStream share. Each line is mapped by the
 * entries' EntryMaker, the mapping the `shipper-client` command uses, and
 * handed to a shipper as JSON text. Nothing here throws at the caller once
 * built: a line the mapping cannot take is shipped as a text line, and
 * what the shipper drops is counted in its summary, reported on close as
 * one stderr line.
 */
import { writeSync } from "node:fs";
import { createShipper, type Shipper } from "../client/shipper.js";
import type { ShipperSummary } from "../client/summary.js";
import {
  levelFromValue,
  parseObject,
  type SerializedEntry,
  startsLikeObject,
} from "../entries/index.js";
import type { JsonFormat } from "../entries/json-formats.js";
import {
  type LineShipperConfig,
  type LineShipperOptions,
  resolveLineOptions,
} from "./node-options.js";

/** Where the report line goes: stderr, written at once (a worker thread's too, at exit). */
export type Report = (line: string) => void;

const OPEN_BRACE = 0x7b;

export const toStderr: Report = (line) => {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // stderr closed: nothing else to tell it to.
  }
};

/** The report line of a summary with losses, or undefined when nothing was lost or refused. */
export function lossReport(
  name: string,
  target: string,
  summary: ShipperSummary,
): string | undefined {
  if (summary.dropped === 0 && summary.refused === 0) return undefined;
  const reasons = Object.entries(summary.dropped_by_reason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason}=${count}`);
  const refused = Object.entries(summary.refused_by_code).map(
    ([code, count]) => `${code}=${count}`,
  );
  return `${name}: ${summary.dropped} of ${summary.entries} entries dropped on the way to ${target}${reasons.length > 0 ? ` (${reasons.join(" ")})` : ""}; ${summary.refused} datagrams refused${refused.length > 0 ? ` (${refused.join(" ")})` : ""}`;
}

export class LineShipper {
  readonly shipper: Shipper;
  readonly #config: LineShipperConfig;
  readonly #name: string;
  readonly #report: Report;
  #closing: Promise<ShipperSummary> | undefined;

  constructor(
    options: LineShipperOptions,
    jsonFormat: JsonFormat,
    name: string,
    report = toStderr,
  ) {
    this.#config = resolveLineOptions(options, jsonFormat);
    this.#name = name;
    this.#report = report;
    this.shipper = createShipper(this.#config.shipper);
  }

  /** Ships one line (blank lines are skipped); false = above the queue bound, wait for ready(). */
  write(line: string): boolean {
    const entry = this.entry(line);
    return entry === undefined || this.ship(entry);
  }

  /**
   * The entry of one line, mapped; undefined for a blank line, which is
   * skipped. Never throws: a line the mapping cannot take is a text line.
   */
  entry(line: string): SerializedEntry | undefined {
    // A line that starts with "{" is not blank: no need to trim it.
    if (line.charCodeAt(0) !== OPEN_BRACE && line.trim().length === 0) return undefined;
    try {
      return this.#entry(line);
    } catch {
      return this.#config.maker.text(line);
    }
  }

  /** Ships one entry made by entry(); false = above the queue bound, wait for ready(). */
  ship(entry: SerializedEntry): boolean {
    return this.shipper.logJson(entry.json, entry.level, entry.bytes);
  }

  ready(): Promise<void> {
    return this.shipper.ready();
  }

  /** Flushes, waits (at most drainTimeoutMs), closes; reports losses once. Idempotent. */
  close(): Promise<ShipperSummary> {
    this.#closing ??= this.shipper.close().then((summary) => {
      const line = lossReport(this.#name, this.#config.target, summary);
      if (line !== undefined) this.#report(line);
      return summary;
    });
    return this.#closing;
  }

  #entry(line: string): SerializedEntry {
    const { maker, service } = this.#config;
    const plain = maker.pino(line, service);
    if (plain !== undefined) return plain;
    if (!startsLikeObject(line)) return maker.text(line);
    const object = parseObject(line);
    if (object === undefined) return maker.text(line);
    const mapped = maker.object(object, service);
    if (mapped !== undefined) return mapped;
    // `raw`, or a JSON object of no logger `auto` knows: kept as it is.
    const json = JSON.stringify(object);
    return { json, level: levelFromValue(object.level), bytes: Buffer.byteLength(json) };
  }
}
