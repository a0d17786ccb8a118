// The pino transport built with pino-abstract-transport (`parse: "lines"`)
// around the same LineShipper as udp-log-shipper/pino, for the bench to
// set beside the transport as shipped (a ShipperStream): same mapping,
// same shipper, same exit wait; only the line splitting and the
// close/flush handshake are pino-abstract-transport's.
import build from "pino-abstract-transport";
import { LineShipper } from "../../dist/node/line-shipper.js";
import { PINO_DRAIN_TIMEOUT_MS } from "../../dist/node/pino.js";

export default async function abstractTransport(options) {
  const lines = new LineShipper(
    { drainTimeoutMs: PINO_DRAIN_TIMEOUT_MS, ...options },
    "pino",
    "udp-log-shipper/pino",
  );
  return build(
    (source) => {
      source.on("data", (line) => {
        if (!lines.write(line)) {
          source.pause();
          lines.ready().then(() => source.resume());
        }
      });
    },
    {
      parse: "lines",
      close: async () => {
        await lines.close();
      },
    },
  );
}
