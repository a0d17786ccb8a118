/**
 * A local HTTP endpoint in a process of its own, for the HTTP sink's
 * figures: it reads each POSTed body whole, counts its bytes and answers
 * 200, nothing more, so the figure is the sink's and not a parser's.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

const SCRIPT = `
const http = require("node:http");
let bytes = 0;
const server = http.createServer((req, res) => {
  req.on("data", (c) => { bytes += c.length; });
  req.on("end", () => res.end());
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

export class HttpReceiverProcess {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  static async start(): Promise<HttpReceiverProcess> {
    const child = spawn(process.execPath, ["-e", SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const [line] = (await once(lines, "line")) as [string];
    lines.close();
    return new HttpReceiverProcess(child, Number(line));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async stop(): Promise<void> {
    if (this.#child.pid === undefined || this.#child.exitCode !== null) return;
    const exit = once(this.#child, "exit");
    process.kill(this.#child.pid, "SIGTERM");
    await exit;
  }
}
