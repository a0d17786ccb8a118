/**
 * A live one-line status on a terminal's stderr (entries/s, sent, dropped,
 * retries), redrawn in place about every 250 ms. When stderr is not a
 * terminal (a pipe, a file, a container's log), the same figures are written
 * as a plain line every `lineIntervalMs` (`--stats-interval`; 0: never), and
 * messages pass through, each kept to one line (oneLine).
 */

import { oneLine } from "../../foundation/one-line.js";

export interface StatusCounters {
  readonly entries: number;
  readonly sent: number;
  readonly dropped: number;
  readonly retries: number;
}

export interface StatusStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface StatusLineOptions {
  /** Monotonic milliseconds. */
  readonly now: () => number;
  readonly intervalMs?: number;
  /** Off a terminal: a plain stats line this often; 0 or undefined: none. */
  readonly lineIntervalMs?: number;
  readonly setInterval?: (tick: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
}

const CLEAR = "\r\x1b[K";

/** The status text for counters and an entry rate. */
export function formatStatus(counters: StatusCounters, entriesPerSecond: number): string {
  const rate = entriesPerSecond >= 100 ? Math.round(entriesPerSecond) : entriesPerSecond.toFixed(1);
  return `entries ${counters.entries} (${rate}/s)  sent ${counters.sent}  dropped ${counters.dropped}  retries ${counters.retries}`;
}

function defaultSetInterval(tick: () => void, ms: number): unknown {
  const handle = setInterval(tick, ms);
  handle.unref();
  return handle;
}

export class StatusLine {
  private readonly enabled: boolean;
  private handle: unknown;
  private shown = false;
  private lastAt = 0;
  private lastEntries = 0;
  private read: (() => StatusCounters) | undefined;

  constructor(
    private readonly stream: StatusStream,
    private readonly options: StatusLineOptions,
  ) {
    this.enabled = stream.isTTY === true;
  }

  /**
   * Starts redrawing from `read` on a terminal; elsewhere, starts the plain
   * stats lines when `lineIntervalMs` asks for them.
   */
  start(read: () => StatusCounters): void {
    const lineIntervalMs = this.options.lineIntervalMs ?? 0;
    if (this.handle !== undefined || (!this.enabled && lineIntervalMs <= 0)) return;
    this.read = read;
    this.lastAt = this.options.now();
    this.lastEntries = read().entries;
    const every = this.options.setInterval ?? defaultSetInterval;
    this.handle = this.enabled
      ? every(() => this.draw(), this.options.intervalMs ?? 250)
      : every(
          () => this.stream.write(`shipper-client: stats: ${this.figures()}\n`),
          lineIntervalMs,
        );
  }

  /** Redraws the line now. */
  draw(): void {
    if (!this.read) return;
    this.stream.write(`${CLEAR}${this.figures()}`);
    this.shown = true;
  }

  /** The status text now, its rate since the last one. */
  private figures(): string {
    const counters = this.read?.() ?? { entries: 0, sent: 0, dropped: 0, retries: 0 };
    const at = this.options.now();
    const elapsed = (at - this.lastAt) / 1000;
    const rate = elapsed > 0 ? (counters.entries - this.lastEntries) / elapsed : 0;
    this.lastAt = at;
    this.lastEntries = counters.entries;
    return formatStatus(counters, rate);
  }

  /**
   * Writes one message line, its control characters escaped; the status
   * line is cleared first and redrawn at the next tick.
   */
  print(line: string): void {
    this.clear();
    this.stream.write(`${oneLine(line.endsWith("\n") ? line.slice(0, -1) : line)}\n`);
  }

  /** Stops redrawing and clears the line. Idempotent. */
  stop(): void {
    if (this.handle !== undefined) {
      (this.options.clearInterval ?? clearInterval)(this.handle as NodeJS.Timeout);
      this.handle = undefined;
    }
    this.read = undefined;
    this.clear();
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR);
    this.shown = false;
  }
}
