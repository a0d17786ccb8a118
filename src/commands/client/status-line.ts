/**
 * A live one-line status on a terminal's stderr (entries/s, sent, dropped,
 * retries), redrawn in place about every 250 ms. When stderr is not a
 * terminal it draws nothing and messages pass through unchanged.
 */

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

  /** Starts redrawing from `read`; does nothing when the stream is not a terminal. */
  start(read: () => StatusCounters): void {
    if (!this.enabled || this.handle !== undefined) return;
    this.read = read;
    this.lastAt = this.options.now();
    this.lastEntries = read().entries;
    const every = this.options.setInterval ?? defaultSetInterval;
    this.handle = every(() => this.draw(), this.options.intervalMs ?? 250);
  }

  /** Redraws the line now. */
  draw(): void {
    if (!this.read) return;
    const counters = this.read();
    const at = this.options.now();
    const elapsed = (at - this.lastAt) / 1000;
    const rate = elapsed > 0 ? (counters.entries - this.lastEntries) / elapsed : 0;
    this.lastAt = at;
    this.lastEntries = counters.entries;
    this.stream.write(`${CLEAR}${formatStatus(counters, rate)}`);
    this.shown = true;
  }

  /** Writes one message line; the status line is cleared first and redrawn at the next tick. */
  print(line: string): void {
    this.clear();
    this.stream.write(line.endsWith("\n") ? line : `${line}\n`);
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
