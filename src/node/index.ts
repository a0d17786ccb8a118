/** Shipping from Node programs: the line shipper behind the pino transport, and the stream. */
export { LineShipper, lossReport } from "./line-shipper.js";
export type { LineShipperOptions } from "./node-options.js";
export { default as pinoTransport, type PinoTransportOptions } from "./pino.js";
export {
  createShipperStream,
  MAX_LINE_CHARS,
  ShipperStream,
  type ShipperStreamOptions,
} from "./shipper-stream.js";
