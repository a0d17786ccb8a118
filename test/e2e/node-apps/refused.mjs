// Logs COUNT lines to a closed loopback port in batches of 10, then exits
// at once: datagrams sent back to back there are refused, every other one
// on its send, and wait for a retry; the transport may wait up to 9 s
// (drainTimeoutMs) for its sends at exit.
import pino from "pino";

const [port, count] = process.argv.slice(2);
const logger = pino({
  transport: {
    target: "udp-log-shipper/pino",
    options: {
      target: `127.0.0.1:${port}`,
      batchSize: 10,
      maxRetries: 10,
      drainTimeoutMs: 9_000,
    },
  },
});
for (let i = 0; i < Number(count); i++) logger.info({ i }, "refused");
process.exit(0);
