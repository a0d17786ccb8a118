/**
 * Options of the pino transport and of createShipperStream: the shipper's
 * options (createShipper's, only `target` required) and how lines become
 * entries. Checked once into a frozen config; a bad value throws an
 * InvalidOptionError (a ShipperError, code ERROR_CODES.INVALID_OPTION)
 * naming the option.
 */
import { hostname } from "node:os";
import { type Level, parseLevel } from "../client/levels.js";
import { textOption } from "../client/option-values.js";
import type { ShipperOptions } from "../client/shipper-options.js";
import { EntryMaker, JSON_FORMATS, type JsonFormat, localZone } from "../entries/index.js";
import { InvalidOptionError } from "../foundation/errors.js";
import { DEFAULT_SERVICE, DEFAULT_TARGET_PORT } from "../foundation/limits.js";
import { systemWallClock } from "../foundation/time.js";

export interface LineShipperOptions extends ShipperOptions {
  /**
   * How JSON lines are mapped onto entries: `auto` (detect the logger),
   * `pino`, `bunyan`, `winston`, `journald`, `docker`, `generic` or `raw`
   * (kept as they are). Default `pino` for the pino transport, `auto` for
   * createShipperStream. A line that is not a JSON object becomes the
   * message of an entry, its time and level read from it where it has them.
   */
  jsonFormat?: JsonFormat;
  /**
   * The service of every entry. Given, it replaces what a line names
   * (pino's `name`); not given, a line's own service is kept, else
   * "batch-log-shipper".
   */
  service?: string;
  /** Host of an entry whose line names none (pino's `hostname`); default the machine's name. */
  host?: string;
  /** Level of an entry whose line names none; default INFO. */
  level?: Level;
  /** Static fields added to every entry's metadata where it has no field of that name. */
  fields?: Readonly<Record<string, string>>;
  /**
   * Ask the receiver to acknowledge every message and send again what it
   * does not (PROTOCOL.md section 6); passed on to createShipper, where a
   * shipper with reliable delivery takes it. Default false.
   */
  reliable?: boolean;
}

/**
 * Where the line shippers' defaults differ from createShipper's: a logger
 * writes fast, so batches are larger (fewer, better-compressed datagrams)
 * and leave sooner when it is quiet; they are compressed on the thread
 * the lines arrive on (pino's transport already runs on a worker); at
 * close, a target that refuses datagrams ends the wait, so that an app
 * whose server is down exits without waiting out retries. The zlib level
 * is createShipper's default, a fast one.
 */
export const LINE_SHIPPER_DEFAULTS = Object.freeze({
  batchSize: 500,
  flushIntervalMs: 1_000,
  compressThread: false,
  dropRefusedAtClose: true,
});

export interface LineShipperConfig {
  readonly maker: EntryMaker;
  /** The `service` option, which replaces a line's own; undefined when not given. */
  readonly service: string | undefined;
  readonly shipper: ShipperOptions;
  /** `host:port` as the report names it. */
  readonly target: string;
}

function resolveFields(fields: unknown): ReadonlyArray<readonly [string, string]> {
  if (fields === undefined) return [];
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new InvalidOptionError("fields must be an object of string values");
  }
  const pairs = Object.entries(fields as Record<string, unknown>);
  for (const [key, value] of pairs) {
    if (typeof value !== "string") {
      throw new InvalidOptionError(`fields.${key} must be a string, got ${String(value)}`);
    }
  }
  return pairs as [string, string][];
}

/** The config of a line shipper; `jsonFormat` when the options name none. */
export function resolveLineOptions(
  options: LineShipperOptions,
  jsonFormat: JsonFormat,
): LineShipperConfig {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError('options must be an object, such as { target: "host:port" }');
  }
  const { fields, level, jsonFormat: _format, ...given } = options;
  const shipper: ShipperOptions = { ...LINE_SHIPPER_DEFAULTS, ...given };
  const format = _format ?? jsonFormat;
  if (!JSON_FORMATS.includes(format)) {
    throw new InvalidOptionError(`jsonFormat must be one of ${JSON_FORMATS.join(", ")}`);
  }
  const chosen = level === undefined ? "INFO" : parseLevel(String(level));
  if (chosen === undefined)
    throw new InvalidOptionError(`level must be a level name, got ${level}`);
  const service =
    options.service === undefined ? undefined : textOption("service", options.service, "");
  const maker = new EntryMaker({
    parse: { kind: "auto" },
    jsonFormat: format,
    zone: localZone(),
    level: chosen,
    service: service ?? DEFAULT_SERVICE,
    host: textOption("host", options.host, hostname()),
    fields: resolveFields(fields),
    now: options.wallClock ?? systemWallClock,
  });
  const target =
    options.target ?? `${options.targetHost}:${options.targetPort ?? DEFAULT_TARGET_PORT}`;
  return Object.freeze({ maker, service, shipper, target });
}
