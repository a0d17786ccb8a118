/**
 * A decoding worker's thread: its own decoder (streams, windows, fragments,
 * GELF chunks of the datagrams routed to it), answering every batch, in
 * order, with the packed outcomes and its counters. It holds no socket and
 * no output: the main thread counts, acknowledges and writes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createDecoder } from "../../formats/create-decoder.js";
import { systemClock } from "../../foundation/time.js";
import { Flag } from "../../wire/constants.js";
import type { DecodeOutcome } from "../../wire/types.js";
import { reportOncePerKind } from "../datagram-handler.js";
import { splitBatch } from "./datagram-batch.js";
import type { FromWorker, ToWorker, WorkerStart } from "./messages.js";
import { packOutcomes, transferList } from "./outcome-codec.js";
import { markDecoded } from "./progress.js";
import { RefusedSeqs } from "./refused-seqs.js";
import { lowerThisThread } from "./thread-priority.js";

/** True for a datagram the decoder may hold on to (a fragment, a GELF chunk). */
function mayBeHeld(datagram: Uint8Array): boolean {
  const first = datagram[0];
  if (first === 0xcb) return datagram[1] === 0xf2 && ((datagram[2] ?? 0) & Flag.FRAGMENT) !== 0;
  return first === 0x1e && datagram[1] === 0x0f;
}

/**
 * Counters ride along with an answer at most this often (and always on
 * sweep and finish); an answer that comes sooner leaves them to a message
 * of their own once this much has passed, so they are never older than
 * this while the server runs.
 */
const STATS_EVERY_MS = 100;

function start(
  port: NonNullable<typeof parentPort>,
  { setup, index, progress }: WorkerStart,
): void {
  const post = (message: FromWorker, transfer?: ArrayBuffer[]) =>
    port.postMessage(message, transfer);
  const refused = new RefusedSeqs();
  const decoder = createDecoder({
    now: systemClock,
    ...setup,
    redeliver: (stream, seq) => refused.take(stream, seq),
    onInternalError: reportOncePerKind((error) =>
      post({ type: "internal-error", message: error.message }),
    ),
  });
  let statsAt = Number.NEGATIVE_INFINITY;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const stopTrailing = () => {
    clearTimeout(trailing);
    trailing = undefined;
  };
  const postStats = () => {
    stopTrailing();
    statsAt = systemClock();
    post({ type: "stats", stats: decoder.stats });
  };
  const statsDue = () => {
    const now = systemClock();
    if (now - statsAt < STATS_EVERY_MS) {
      trailing ??= setTimeout(postStats, statsAt + STATS_EVERY_MS - now);
      return {};
    }
    stopTrailing();
    statsAt = now;
    return { stats: decoder.stats };
  };
  port.postMessage({ type: "ready" } satisfies FromWorker);
  port.on("message", (message: ToWorker) => {
    switch (message.type) {
      case "batch": {
        const outcomes: DecodeOutcome[] = [];
        for (const view of splitBatch(message.data, message.lengths)) {
          // A held fragment must not keep the whole batch's buffer alive.
          outcomes.push(decoder.decode(mayBeHeld(view) ? view.slice() : view));
        }
        const packed = packOutcomes(outcomes);
        post(
          { type: "results", id: message.id, outcomes: packed, ...statsDue() },
          transferList(packed),
        );
        markDecoded(progress, index);
        return;
      }
      case "keys":
        decoder.setKeys(message.keys);
        return;
      case "refused":
        refused.add(message.stream, message.seq);
        return;
      case "sweep":
        decoder.sweep();
        postStats();
        return;
      case "finish":
        decoder.finish();
        postStats();
        // Nothing else keeps the thread: it ends once this answer is out.
        port.close();
        return;
    }
  });
}

if (parentPort !== null) {
  lowerThisThread();
  start(parentPort, workerData as WorkerStart);
}
