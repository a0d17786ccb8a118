/**
 * Per-event notifications from a shipper, for what counters cannot say
 * (distributions: batch sizes, datagram sizes, send times). Every method is
 * optional and called synchronously on the send path, so it must be cheap
 * and must not throw. Totals are in the summary; read them from there.
 */
import type { FlushTrigger } from "./batcher.js";
import type { RefusalCode } from "./refusals.js";

export interface ShipperObserver {
  /** A batch was flushed with this many entries. */
  onBatch?(entries: number, trigger: FlushTrigger): void;
  /** The socket accepted a datagram of this many bytes. */
  onDatagram?(bytes: number): void;
  /** Every datagram of a message went out, `durationMs` after its first send attempt. */
  onSend?(durationMs: number): void;
  /** Reliable mode: a message sent once was acknowledged `rttMs` after it went out. */
  onAck?(rttMs: number): void;
  /** The target reported that it bounced a datagram (every report, news or not). */
  onRefused?(code: RefusalCode): void;
}
