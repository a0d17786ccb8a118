// Logs COUNT lines to a closed loopback port, then exits at once; the
// transport may wait up to 9 s (drainTimeoutMs) for its sends at exit.
import pino from "pino";

const [port, count] = process.argv.slice(2);
const logger = pino({
  transport: {
    target: "udp-log-shipper/pino",
    options: { target: `127.0.0.1:${port}`, drainTimeoutMs: 9_000, maxRetries: 10 },
  },
});
for (let i = 0; i < Number(count); i++) logger.info({ i }, "refused");
process.exit(0);
