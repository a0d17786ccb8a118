/** The message sink a shipper's options ask for: best effort, or reliable delivery. */
import type { EncodedMessage } from "../../wire/index.js";
import { Delivery, type MessageSink } from "../delivery.js";
import type { Sender } from "../sender.js";
import type { ResolvedOptions } from "../shipper-options.js";
import type { SummaryCollector } from "../summary.js";
import { type MessageFate, ReliableDelivery } from "./reliable-delivery.js";
import { ReliableStats } from "./reliable-stats.js";

export interface SinkParts {
  readonly sender: Sender;
  readonly stats: SummaryCollector;
  /** The encoder's stream (sequenced mode). */
  readonly stream: Uint8Array | undefined;
  readonly onSettled: () => void;
  readonly onMessage: (message: EncodedMessage, fate: MessageFate) => void;
}

export function chooseDelivery(config: ResolvedOptions, parts: SinkParts): MessageSink {
  const { sender, stats, stream, onSettled, onMessage } = parts;
  const { observer, reliable, dropRefusedAtClose } = config;
  if (reliable === undefined || stream === undefined) {
    return new Delivery({ sender, stats, observer, onSettled, onMessage, dropRefusedAtClose });
  }
  const reliableStats = new ReliableStats(config.random);
  stats.reliable = reliableStats;
  return new ReliableDelivery({
    sender,
    stats,
    reliableStats,
    observer,
    clock: config.clock,
    stream,
    key: config.key,
    ackTimeoutMs: reliable.ackTimeoutMs,
    maxUnackedBytes: reliable.maxUnackedBytes,
    onSettled,
    onMessage,
  });
}
