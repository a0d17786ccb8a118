// Logs COUNT lines through the transport, then exits at once.
import pino from "pino";

const [port, count] = process.argv.slice(2);
const logger = pino({
  name: "burst",
  transport: { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}` } },
});
for (let i = 0; i < Number(count); i++) logger.info({ i }, "burst line");
process.exit(0);
