// require() of the package: the library with defaults, and the stream with bunyan and winston lines.
const { createShipper, createShipperStream, ShipperError } = require("udp-log-shipper");

const target = `127.0.0.1:${process.argv[2]}`;
const shipper = createShipper({ target, service: "billing" });
shipper.log({ level: "INFO", message: "from require()" });
const stream = createShipperStream({ target, batchSize: 1 });
const bunyan = {
  name: "bun",
  hostname: "h1",
  pid: 1,
  level: 40,
  msg: "bunyan line",
  time: "2026-11-24T10:30:00.000Z",
  v: 0,
};
stream.write(`${JSON.stringify(bunyan)}\n`);
stream.end(`${JSON.stringify({ level: "error", message: "winston line", service: "wins" })}\n`);
let code;
try {
  createShipper({ target: "nowhere:0" });
} catch (error) {
  code = error instanceof ShipperError ? error.code : "not a ShipperError";
}
Promise.all([shipper.close(), stream.shipped()]).then(([library, streamed]) => {
  console.log(JSON.stringify({ library: library.sent, streamed: streamed.sent, code }));
});
