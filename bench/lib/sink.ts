/** The counting sink agent seen from the harness. */
import type { ChildProcess } from "node:child_process";
import { ROOT } from "../../test/support/process.js";
import { ask, forkAgent } from "./agents.js";

export interface SinkReport {
  readonly datagrams: number;
  readonly bytes: number;
  /** Seconds from the first datagram to the last. */
  readonly spanSeconds: number;
}

export class Sink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<Sink> {
    const child = forkAgent(`${ROOT}bench/agents/sink.ts`);
    const { port } = await ask<{ port: number }>(child, {}, "ready");
    return new Sink(child, port);
  }

  /** Counts so far, once no datagram came for `settleMs`; then starts counting from zero. */
  async take(settleMs: number): Promise<SinkReport> {
    const report = await ask<SinkReport>(this.child, { type: "report", settleMs }, "report");
    await ask(this.child, { type: "reset" }, "reset");
    return report;
  }

  async reset(): Promise<void> {
    await ask(this.child, { type: "reset" }, "reset");
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ type: "stop" });
  }
}
