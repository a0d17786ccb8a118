// Logs COUNT lines with reliable delivery to a server that is not up yet, then exits.
import pino from "pino";

const [port, count] = process.argv.slice(2);
const logger = pino({
  transport: {
    target: "udp-log-shipper/pino",
    options: { target: `127.0.0.1:${port}`, reliable: true, drainTimeoutMs: 9000 },
  },
});
for (let i = 0; i < Number(count); i++) logger.info({ i }, "kept until acknowledged");
process.exit(0);
