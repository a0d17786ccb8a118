/**
 * What each command's man page says beyond its options: the description,
 * the exit codes, the signals. The options come from the commands' own
 * definitions (reference.ts).
 */
import type { PageText } from "./reference.js";

type Pages = Record<
  "shipper-server" | "shipper-client" | "shipper-tail",
  Omit<PageText, "version" | "date">
>;

const SEE_ALSO = [
  "shipper-server(1)",
  "shipper-client(1)",
  "shipper-tail(1)",
  "jq(1)",
  "systemd.service(5)",
];

export const PAGE_TEXT: Pages = {
  "shipper-server": {
    description: [
      "shipper-server listens on UDP and recognises each datagram by its first bytes: " +
        "its own framed datagrams, the original Python shipper's, bare JSON, syslog " +
        "(RFC 5424 and RFC 3164) and GELF. Every entry it accepts goes to its outputs; " +
        "every rejection, loss and duplicate is counted by reason.",
      "The counters are printed as one JSON object, the last line on standard error, " +
        "when the server stops. The full documentation is in the package's docs/ " +
        "directory: server.md, outputs.md, protocol.md, security.md, metrics.md, operations.md.",
    ],
    exitStatus: [
      ["0", "stopped by SIGINT or SIGTERM after everything received was written or spooled"],
      ["1", "the socket or the metrics endpoint could not be bound, or an output lost entries"],
      ["2", "a bad option, environment variable or configuration file (one line names it)"],
      ["129, 130, 143", "a second signal during shutdown: exit at once, counters as they stand"],
    ],
    signals: [
      ["SIGINT, SIGTERM", "stop: drain the socket and the outputs (bounded), print the summary"],
      ["SIGHUP", "re-read the key files (and the configuration file), reopen output files"],
    ],
    seeAlso: SEE_ALSO,
  },
  "shipper-client": {
    description: [
      "shipper-client reads log lines (standard input, files, followed files, or a sample " +
        "generator), makes an entry of each line, gathers entries into batches, compresses " +
        "them and sends each batch as one self-contained UDP datagram to shipper-server.",
      "It drains on end of input and on SIGINT or SIGTERM, and prints its summary as one " +
        "JSON object, the last line on standard error. The full documentation is in the " +
        "package's docs/ directory: client.md, protocol.md, security.md, metrics.md.",
    ],
    exitStatus: [
      ["0", "every entry was sent"],
      [
        "1",
        "entries were dropped or refused, an input could not be read, or the target " +
          "name does not resolve",
      ],
      ["2", "a bad option, environment variable or configuration file (one line names it)"],
      ["130", "a second signal cut the drain short"],
    ],
    signals: [
      ["SIGINT, SIGTERM", "stop reading, send what was read (bounded), print the summary"],
      ["SIGHUP", "re-read the --config file's batch settings"],
    ],
    seeAlso: SEE_ALSO,
  },
  "shipper-tail": {
    description: [
      "shipper-tail reads a NATS JetStream stream that shipper-server writes to (its " +
        "nats:// output) with an ordered consumer, which keeps no state on the server, and " +
        "prints every entry as one NDJSON line, or with --count only the totals: entries, " +
        "entries per service, and messages stored twice (the same Nats-Msg-Id).",
      "It ends at the end of what the stream held when it started, or with --follow goes on " +
        "until SIGINT or SIGTERM; the totals are then one JSON object, the last line on " +
        "standard error (on standard output with --count). It is for looking and checking: " +
        "in production read the stream with the nats CLI or a consumer of your own. " +
        "See docs/scaling.md and docs/outputs-nats.md.",
    ],
    exitStatus: [
      [
        "0",
        "the stream was read to its end, --follow was stopped by SIGINT or SIGTERM, " +
          "or the reader of standard output went away",
      ],
      ["1", "NATS could not be reached, the stream does not exist, or reading it failed"],
      ["2", "a bad option or environment variable (one line names it)"],
      [
        "130, 143",
        "SIGINT or SIGTERM stopped a read without --follow before its end (the totals " +
          "count what was read), or a second signal: exit at once",
      ],
    ],
    signals: [["SIGINT, SIGTERM", "stop reading, print the totals"]],
    seeAlso: SEE_ALSO,
  },
};
