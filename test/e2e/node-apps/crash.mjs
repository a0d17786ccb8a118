// Logs a line, then dies of an uncaught exception that a monitor logs first.
import pino from "pino";

const [port] = process.argv.slice(2);
const logger = pino({
  name: "crashy",
  transport: { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}` } },
});
process.on("uncaughtExceptionMonitor", (error) => logger.fatal(error, "uncaught exception"));
logger.info("about to charge the card");
function chargeCard() {
  throw new Error("card service down");
}
setTimeout(chargeCard, 50);
