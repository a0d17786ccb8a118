/**
 * The package's API for programs: the client core (`createShipper`), the
 * server (`createServer`) and the wire codec. The two commands are thin
 * shells over these.
 *
 *   import { createShipper } from "udp-log-shipper";
 *   const shipper = createShipper({ targetHost: "logs.internal", targetPort: 9999, ... });
 *   shipper.log({ level: "INFO", message: "hello" });
 *   const summary = await shipper.close();
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
export * as protocol from "./protocol.js";
export {
  createServer,
  type LogServer,
  type ServerOptions,
  type ServerStats,
  type ServerSummary,
} from "./server/index.js";
