// A transport given a target with no usable port: the app runs on.
import pino from "pino";

const logger = pino({
  transport: { target: "udp-log-shipper/pino", options: { target: "logs.invalid:0" } },
});
for (let i = 0; i < 10; i++) logger.info({ i }, "goes nowhere");
console.log("still running");
