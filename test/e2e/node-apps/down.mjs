// Logs to a target where nothing listens, for a while, then exits.
import pino from "pino";

const [port] = process.argv.slice(2);
const logger = pino({
  transport: {
    target: "udp-log-shipper/pino",
    options: { target: `127.0.0.1:${port}`, maxRetries: 1, drainTimeoutMs: 1000 },
  },
});
let n = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 100; i++) logger.info({ n: n++ }, "nobody listens");
  if (n >= 1000) {
    clearInterval(timer);
    console.log("still running");
  }
}, 10);
