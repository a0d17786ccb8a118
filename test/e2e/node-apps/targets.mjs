// The transport beside pino/file (stdout) in one pino.transport({ targets }).
import pino from "pino";

const [port] = process.argv.slice(2);
const transport = pino.transport({
  targets: [
    { target: "pino/file", options: { destination: 1 } },
    { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}`, service: "api" } },
  ],
});
const logger = pino({ name: "targets" }, transport);
for (let i = 0; i < 100; i++) logger.warn({ i }, "both targets");
