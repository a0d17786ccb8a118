// The transport in a pino.transport() of its own, stdout written from the
// app's thread by pino.multistream, as docs/node.md shows; process.exit(0)
// right after the last line.
import pino from "pino";

const [port, count] = process.argv.slice(2);
const transport = pino.transport({
  target: "udp-log-shipper/pino",
  options: { target: `127.0.0.1:${port}`, service: "api" },
});
const logger = pino(
  { name: "multistream" },
  pino.multistream([{ stream: pino.destination(1) }, { stream: transport }]),
);
for (let i = 0; i < Number(count); i++) logger.info({ i }, "two destinations");
process.exit(0);
