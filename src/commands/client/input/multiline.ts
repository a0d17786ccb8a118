/**
 * Multiline: continuation lines joined into the entry they belong to (a
 * stack trace after the line that logged it). Pure apart from its injected
 * timers. A rule (input/multiline-rules.ts) says whether a line continues
 * the pending entry; the joiner holds that entry until a line starts the
 * next one, the source ends (flush()), or no line came for `timeoutMs`
 * while the source waited for input (idle(), then onDue). An entry never
 * passes `maxBytes` (its lines joined with "\n") nor `maxLines`: the line
 * that would pass a bound starts a new entry, counted in `splits`.
 *
 * One joiner holds one source's pending entry: a reader of several sources
 * at once keeps one joiner per source.
 */
import type { TimerHandle, Timers } from "../../../foundation/time.js";

/** The pending entry as a rule sees it. */
export interface PendingEntry {
  /** Lines joined so far (at least 1). */
  readonly lines: number;
  /** Its last line. */
  readonly last: string;
  /** The rule's own state for this entry: begin()'s value, updated by continues(). */
  state: number;
}

/** Decides which lines continue an entry; see input/multiline-rules.ts. */
export interface MultilineRule {
  /** The state of an entry that `line` starts. */
  begin(line: string): number;
  /** True when `line` continues `entry`; may update `entry.state`. */
  continues(line: string, entry: PendingEntry): boolean;
}

/** Default bound on the lines of one entry. */
export const DEFAULT_MULTILINE_MAX_LINES = 1000;
/** Default wait for a continuation line while the source has no input. */
export const DEFAULT_MULTILINE_TIMEOUT_MS = 1000;

export interface JoinerOptions {
  readonly rule: MultilineRule;
  /** Largest entry in UTF-8 bytes, its "\n" separators included. */
  readonly maxBytes: number;
  /** Most lines in one entry (>= 1). */
  readonly maxLines: number;
  /** How long idle() waits before onDue. */
  readonly timeoutMs: number;
  readonly timers: Timers;
  /** The pending entry is due: flush() it. Called at most once per idle(). */
  readonly onDue?: () => void;
  /** An entry was ended early by a bound (also counted in `splits`). */
  readonly onSplit?: () => void;
}

export class MultilineJoiner implements PendingEntry {
  /** Entries ended early by maxBytes or maxLines. */
  splits = 0;
  lines = 0;
  last = "";
  state = 0;
  #text = "";
  #bytes = 0;
  #emitted = 0;
  #timer: TimerHandle | undefined;
  readonly #options: JoinerOptions;

  constructor(options: JoinerOptions) {
    this.#options = options;
  }

  /** An entry is pending. */
  get pending(): boolean {
    return this.lines > 0;
  }

  /** UTF-8 bytes of the entry push() or flush() returned last. */
  get bytes(): number {
    return this.#emitted;
  }

  /**
   * Adds one line of `bytes` UTF-8 bytes. Returns the entry this line ended
   * (the pending one, when the line starts the next entry or would pass a
   * bound), or undefined when the line joined the pending entry.
   */
  push(line: string, bytes: number): string | undefined {
    this.#disarm();
    if (this.lines === 0) {
      this.#begin(line, bytes);
      return undefined;
    }
    const { rule, maxBytes, maxLines } = this.#options;
    if (!rule.continues(line, this)) return this.#restart(line, bytes);
    if (this.lines >= maxLines || this.#bytes + 1 + bytes > maxBytes) {
      this.splits++;
      this.#options.onSplit?.();
      return this.#restart(line, bytes);
    }
    this.#text += `\n${line}`;
    this.#bytes += 1 + bytes;
    this.lines++;
    this.last = line;
    return undefined;
  }

  /** The pending entry, now (undefined when none); the timer is cancelled. */
  flush(): string | undefined {
    this.#disarm();
    if (this.lines === 0) return undefined;
    const text = this.#text;
    this.#emitted = this.#bytes;
    this.#text = "";
    this.last = "";
    this.lines = 0;
    this.#bytes = 0;
    return text;
  }

  /**
   * The source waits for input: with an entry pending, onDue is called
   * after timeoutMs unless a line is pushed or the entry flushed first.
   */
  idle(): void {
    if (this.lines === 0 || this.#timer !== undefined) return;
    this.#timer = this.#options.timers.setTimeout(() => {
      this.#timer = undefined;
      if (this.lines > 0) this.#options.onDue?.();
    }, this.#options.timeoutMs);
  }

  /** Cancels the timer; the pending entry stays (flush() it first to keep it). */
  close(): void {
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    this.#options.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #restart(line: string, bytes: number): string | undefined {
    const done = this.flush();
    this.#begin(line, bytes);
    return done;
  }

  #begin(line: string, bytes: number): void {
    this.#text = line;
    this.#bytes = bytes;
    this.lines = 1;
    this.last = line;
    this.state = this.#options.rule.begin(line);
  }
}
