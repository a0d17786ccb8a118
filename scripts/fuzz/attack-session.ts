/**
 * One attack case's server: started with default options (or the case's) on `--port 0`,
 * warmed up with ordinary datagrams of every kind, its peak RSS reset; the
 * markers spotted on its stdout, and what was sent to it.
 */
import { randomBytes } from "node:crypto";
import { readMemory } from "../../test/support/linux-proc.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { CountingSender, MarkerSink, markerText, resetPeak } from "./attack-harness.js";
import { warmUpDatagrams } from "./attack-payloads.js";

/** Ordinary datagrams of each kind sent before the attack. */
const WARM_UP_EACH = 25;

/** A server for one case, the markers spotted on its stdout, and a sender. */
export class Session {
  readonly notes: string[] = [];
  readonly stalls: (number | null)[] = [];
  #markers = 0;
  markersSeen = 0;
  /** A marker's time to stdout with nothing before it: the floor under every stall. */
  idleMs: number | null = null;
  /** Datagrams of the attack the kernel took. */
  attackSent = 0;
  /** Datagrams sent by another sender than `sender` (pacing probes, fragments). */
  extraSent = 0;

  private constructor(
    readonly server: ServerProcess,
    readonly sink: MarkerSink,
    readonly sender: CountingSender,
    readonly nonce: string,
    readonly timeoutMs: number,
  ) {}

  static async start(timeoutMs: number, args: readonly string[] = []): Promise<Session> {
    const nonce = `atk${randomBytes(4).toString("hex")}`;
    const server = await ServerProcess.start({ args, stdout: { nonce } });
    const session = new Session(
      server,
      new MarkerSink(server, nonce),
      new CountingSender(server.port),
      nonce,
      timeoutMs,
    );
    await session.sender.sendAll(warmUpDatagrams(WARM_UP_EACH));
    if ((await session.marker(performance.now())) === null) {
      const stopped = await server.stop();
      await session.sender.close();
      throw new Error(`the warm-up marker did not come out: ${stopped.lastLine}`);
    }
    session.idleMs = await session.marker(performance.now());
    if (!resetPeak(server.child.pid ?? 0)) session.notes.push("peak RSS not reset (clear_refs)");
    return session;
  }

  /** Sends the next marker; ms from `since` until it is on stdout, null when it never is. */
  async marker(since: number): Promise<number | null> {
    const n = this.#markers++;
    await this.sender.send(Buffer.from(markerText(this.nonce, n)));
    const at = await this.sink.wait(n, this.timeoutMs);
    if (at === undefined) return null;
    this.markersSeen++;
    return at - since;
  }

  get markersSent(): number {
    return this.#markers;
  }

  rss(): number | undefined {
    return readMemory(this.server.child.pid ?? 0)?.rssBytes;
  }

  peak(): number | undefined {
    return readMemory(this.server.child.pid ?? 0)?.hwmBytes;
  }
}
