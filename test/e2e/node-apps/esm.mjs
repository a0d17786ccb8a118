// import of both entry points.
import * as shipper from "udp-log-shipper";
import transport from "udp-log-shipper/pino";

console.log(
  JSON.stringify({
    createShipper: typeof shipper.createShipper,
    createShipperStream: typeof shipper.createShipperStream,
    transport: typeof transport,
  }),
);
