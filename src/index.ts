/**
 * The package's API for programs: the client core (`createShipper`), the
 * server (`createServer`) and the wire codec. The two commands are thin
 * shells over these.
 *
 *   import { createShipper } from "udp-log-shipper";
 *   const shipper = createShipper({ target: "logs.internal:9999", service: "api" });
 *   shipper.log({ level: "INFO", message: "hello" }); // timestamp, service, host filled in
 *   const summary = await shipper.close();
 *
 * From Node loggers: `udp-log-shipper/pino` (a pino transport) and
 * createShipperStream (a Writable for NDJSON lines); docs/node.md.
 */
export {
  type BatchSettings,
  createShipper,
  EntryDroppedError,
  LEVELS,
  type Level,
  parseLevel,
  type Shipper,
  type ShipperOptions,
  type ShipperSummary,
} from "./client/index.js";
export {
  ERROR_CODES,
  type ErrorCode,
  InvalidOptionError,
  OptionRangeError,
  ShipperError,
} from "./foundation/errors.js";
export {
  createShipperStream,
  type LineShipperOptions,
  type PinoTransportOptions,
  ShipperStream,
  type ShipperStreamOptions,
} from "./node/index.js";
export * as protocol from "./protocol.js";
export {
  createServer,
  type LogServer,
  type ServerOptions,
  type ServerStats,
  type ServerSummary,
} from "./server/index.js";
