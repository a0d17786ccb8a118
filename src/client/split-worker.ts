/**
 * The program of the splitting thread (src/client/split-thread.ts): each
 * message is a list of packed batches, each split exactly as
 * BatchEncoder.encode() splits it (splitEntriesSync with node:zlib's
 * deflateSync, the entries read in place), and the answers go back in order,
 * in one message on the `replies` port. Only the payload bytes cross back,
 * each in a buffer of its own that is moved, not copied, with the batch's
 * own buffer, moved back to be used again.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { deflateSync } from "node:zlib";
import { splitEntriesSync } from "../wire/send/split-runners.js";
import type { Part } from "../wire/send/splitter.js";
import { type SplitReply, type SplitRequest, unpackRequest } from "./split-request.js";

/** The answer to one batch; the buffers it holds go to `moved`. */
function answer(request: SplitRequest, moved: ArrayBuffer[]): SplitReply {
  const { id, settings, level } = request;
  const batch = request.batch.buffer;
  let parts: Part[];
  let dropped: number;
  try {
    const zip = (data: Uint8Array) => deflateSync(data, { level });
    ({ parts, dropped } = splitEntriesSync(unpackRequest(request), settings, zip));
  } catch (error) {
    moved.push(batch);
    return { id, batch, error: String(error) };
  }
  // The parts are copies: the batch's buffer goes back whole.
  moved.push(batch);
  const own = parts.map((part) => {
    const bytes = new Uint8Array(part.body.bytes);
    moved.push(bytes.buffer);
    return { ...part, body: { bytes, compressed: part.body.compressed } };
  });
  return { id, batch, parts: own, dropped };
}

function answerAll(requests: readonly SplitRequest[], replies: MessagePort): void {
  const moved: ArrayBuffer[] = [];
  const answers = requests.map((request) => answer(request, moved));
  replies.postMessage(answers, moved);
}

if (parentPort !== null) {
  const replies = (workerData as { replies: MessagePort }).replies;
  parentPort.on("message", (requests: SplitRequest[]) => answerAll(requests, replies));
}
