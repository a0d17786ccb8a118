/**
 * The runs whose compiled code goes into the client bundle's code cache
 * (load.ts, at build time): `--help`, and a short run as most runs start,
 * ten lines of text and JSON from stdin shipped with the default options to
 * a socket of this process on loopback.
 */
import { createSocket } from "node:dgram";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Readable, Writable } from "node:stream";
import type { CliIO } from "../shared/io.js";
import type { ClientCommand } from "./load.js";

const LINES = [
  "2027-01-15 08:00:00.000 INFO [main] started in 412 ms",
  "2027-01-15 08:00:00.120 DEBUG [worker-0] GET /api/orders/1 200 in 3 ms",
  "2027-01-15T08:00:00.250Z WARN [worker-1] slow query: 1200 ms",
  "Jan 15 08:00:00 web-1 app[311]: ERROR connection reset by peer",
  "plain line without a timestamp or a level",
  '{"time":"2027-01-15T08:00:01.000Z","level":"info","msg":"request done","status":200}',
  '{"timestamp":1799999999000,"severity":"ERROR","message":"payment failed","order":7}',
  '{"level":30,"time":1799999999001,"msg":"pino line","pid":42,"hostname":"web-1"}',
  "2027-01-15 08:00:02.000 ERROR [worker-0] java.lang.IllegalStateException: closed",
  "2027-01-15 08:00:02.500 INFO [main] stopping",
];

export async function warmUp(command: ClientCommand): Promise<void> {
  await command.main(["--help"], {}, quietIO(""));
  const sink = createSocket("udp4");
  sink.bind(0, "127.0.0.1");
  await once(sink, "listening");
  try {
    const port = String((sink.address() as AddressInfo).port);
    const args = ["--target-host", "127.0.0.1", "--target-port", port];
    const code = await command.main(args, {}, quietIO(`${LINES.join("\n")}\n`));
    if (code !== 0) throw new Error(`the warm-up run exited with ${code}`);
  } finally {
    sink.close();
  }
}

/** stdin gives `input`; what the command writes is dropped. */
function quietIO(input: string): CliIO {
  const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    stdin: Readable.from([Buffer.from(input)]),
    stdout: discard(),
    stderr: discard(),
    onSignal: () => () => {},
    exit: (code) => {
      throw new Error(`the warm-up run asked to exit with ${code}`);
    },
  };
}
