/** The datagram sender agent seen from the harness. */
import type { ChildProcess } from "node:child_process";
import { ROOT } from "../../test/support/process.js";
import { ask, forkAgent } from "./agents.js";
import { type DatagramShape, entriesPerDatagramOf } from "./data.js";

/** Entries in each of the sender's framed datagrams, its default shape. */
export const ENTRIES_PER_DATAGRAM = entriesPerDatagramOf("framed");

export interface SendResult {
  readonly attempted: number;
  readonly sent: number;
  readonly errors: number;
  /** From the first datagram to the last, warm-up included. */
  readonly seconds: number;
  /** Datagrams per second achieved after the warm-up. */
  readonly rate: number;
}

export class Sender {
  private constructor(
    private readonly child: ChildProcess,
    /** Sizes of the prebuilt datagrams. */
    readonly datagramBytes: readonly number[],
  ) {}

  static async start(): Promise<Sender> {
    const child = forkAgent(`${ROOT}bench/agents/sender.ts`);
    const ready = await ask<{ datagramBytes: number[] }>(child, {}, "ready");
    return new Sender(child, ready.datagramBytes);
  }

  /**
   * Sends datagrams of `shape` to `port` at `rate` datagrams/s (0: unpaced)
   * for `durationMs`, after `warmupMs` at half the rate (paced only).
   */
  send(
    port: number,
    rate: number,
    durationMs: number,
    warmupMs = 0,
    shape: DatagramShape = "framed",
  ): Promise<SendResult> {
    const maxDatagrams =
      rate > 0 ? Math.ceil((rate * (durationMs + warmupMs / 2)) / 1000) : 2 ** 31;
    const request = { type: "run", port, rate, warmupMs, durationMs, maxDatagrams, shape };
    return ask<SendResult>(this.child, request, "done", warmupMs + durationMs + 30_000);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  stop(): void {
    if (this.child.connected) this.child.send({ type: "stop" });
  }
}
