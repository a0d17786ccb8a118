/**
 * Sends acknowledgements (PROTOCOL.md section 6), coalesced per stream: the
 * seqs accepted for a stream gather until its next send, which comes at
 * once (the next timer turn) when the stream's last acknowledgement went
 * out `intervalMs` ago or more, and otherwise when that much has passed.
 * Each seq is acknowledged to the source (address and port) of the
 * datagram that asked for it, so a send is one acknowledgement per source
 * the stream's waiting seqs came from: a stream gets at most one
 * acknowledgement per source every `intervalMs` (more only when its seqs
 * need over 512 ranges), and a seq waits at most `intervalMs` plus a timer
 * turn after its message was accepted. Each datagram is paid for from its
 * source's budget (ack-budget.ts) or not sent; its seqs are then counted
 * skipped, and the sender's retransmission brings them back.
 */
import type { Clock, TimerHandle, Timers } from "../../foundation/time.js";
import { encodeAcks, MAX_ACK_RANGES } from "../../wire/ack.js";
import { rangeSize, type SeqRange, toRanges } from "../../wire/seq-ranges.js";
import type { Endpoint } from "../receiver.js";
import type { AckBudget } from "./ack-budget.js";

/** At most one acknowledgement per stream this often (PROTOCOL.md section 6). */
export const ACK_INTERVAL_MS = 10;

/** Seqs of one stream waiting to be acknowledged to one source. */
export interface SourceSeqs {
  readonly endpoint: Endpoint;
  readonly seqs: number[];
}

/** One stream's acknowledgements waiting to go. */
export interface AckStream {
  /** The 8 bytes of the stream. */
  readonly stream: Uint8Array;
  /**
   * Seqs accepted and not yet acknowledged, by the source (sourceKey) of
   * the datagram that asked for each: where their acknowledgement goes.
   */
  readonly waiting: Map<string, SourceSeqs>;
  timer: TimerHandle | undefined;
  /** When its last acknowledgement was sent; -Infinity before the first. */
  lastSentAt: number;
}

/** What was sent, for the summary and the metrics. */
export interface AckCounts {
  /** Seqs acknowledged (a seq acknowledged twice counts twice). */
  acks_sent: number;
  /** Acknowledgement datagrams sent. */
  ack_datagrams: number;
  /** Bytes of acknowledgement datagrams sent. */
  ack_bytes: number;
  /** Seqs not acknowledged: over the source's budget, or the send failed. */
  acks_skipped: number;
}

export interface AckSenderOptions {
  readonly timers: Timers;
  readonly now: Clock;
  readonly budget: AckBudget;
  /** Sends from the server's socket; `done` is told whether it went. */
  readonly send: (datagram: Uint8Array, to: Endpoint, done: (sent: boolean) => void) => void;
  /** The key to sign with; undefined: unsigned. */
  readonly key: () => Uint8Array | undefined;
  readonly intervalMs?: number;
}

export function sourceKey(endpoint: Endpoint): string {
  return `${endpoint.address}|${endpoint.port}`;
}

export class AckSender {
  readonly counts: AckCounts = { acks_sent: 0, ack_datagrams: 0, ack_bytes: 0, acks_skipped: 0 };
  readonly #o: AckSenderOptions;
  readonly #intervalMs: number;

  constructor(options: AckSenderOptions) {
    this.#o = options;
    this.#intervalMs = options.intervalMs ?? ACK_INTERVAL_MS;
  }

  /** `seq` of `s` is to be acknowledged to `to`, the source that asked for it. */
  add(s: AckStream, seq: number, to: Endpoint): void {
    const source = sourceKey(to);
    const waiting = s.waiting.get(source);
    if (waiting === undefined) s.waiting.set(source, { endpoint: to, seqs: [seq] });
    else waiting.seqs.push(seq);
    if (s.timer !== undefined) return;
    const wait = Math.max(0, s.lastSentAt + this.#intervalMs - this.#o.now());
    s.timer = this.#o.timers.setTimeout(() => {
      s.timer = undefined;
      this.flush(s);
    }, wait);
  }

  /** Sends what `s` has waiting now. */
  flush(s: AckStream): void {
    if (s.timer !== undefined) this.#o.timers.clearTimeout(s.timer);
    s.timer = undefined;
    if (s.waiting.size === 0) return;
    s.lastSentAt = this.#o.now();
    for (const [source, { endpoint, seqs }] of s.waiting) {
      this.#send(s.stream, source, endpoint, toRanges(seqs));
    }
    s.waiting.clear();
  }

  /** The acknowledgement of `ranges` of `stream`, to one source. */
  #send(stream: Uint8Array, source: string, endpoint: Endpoint, ranges: SeqRange[]): void {
    const datagrams = encodeAcks(stream, ranges, this.#o.key());
    for (let i = 0; i < datagrams.length; i++) {
      const datagram = datagrams[i] as Uint8Array;
      let seqs = 0;
      for (const range of ranges.slice(i * MAX_ACK_RANGES, (i + 1) * MAX_ACK_RANGES)) {
        seqs += rangeSize(range);
      }
      if (!this.#o.budget.spend(source, datagram.length)) {
        this.counts.acks_skipped += seqs;
        continue;
      }
      this.#o.send(datagram, endpoint, (sent) => {
        if (!sent) {
          this.counts.acks_skipped += seqs;
          return;
        }
        this.counts.acks_sent += seqs;
        this.counts.ack_datagrams += 1;
        this.counts.ack_bytes += datagram.length;
      });
    }
  }

  /** Drops what `s` has waiting, unsent (the stream is forgotten). */
  cancel(s: AckStream): void {
    if (s.timer !== undefined) this.#o.timers.clearTimeout(s.timer);
    s.timer = undefined;
    s.waiting.clear();
  }
}
