/**
 * The program of the splitting thread (src/client/split-thread.ts): each
 * message is a list of packed batches, each split exactly as
 * BatchEncoder.encode() splits it (splitEntriesSync with this thread's
 * zlib stream, threadDeflate of reused-deflate.ts, which gives
 * deflateSync's bytes; the entries read in place), and the answers go
 * back in order, in one message on the `replies` port. Only the payload
 * bytes cross back, each in a buffer of its own that is moved, not
 * copied, with the batch's own buffer, moved back to be used again.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { splitEntriesSync } from "../wire/send/split-runners.js";
import type { Part } from "../wire/send/splitter.js";
import { threadDeflate } from "./reused-deflate.js";
import { type SplitReply, type SplitRequest, unpackRequest } from "./split-request.js";

/** The bytes in a buffer of their own, exactly their size: as they are when they already are. */
function own(bytes: Uint8Array, moved: readonly ArrayBuffer[]): Uint8Array {
  const { buffer } = bytes;
  const whole = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
  return whole && buffer instanceof ArrayBuffer && !moved.includes(buffer)
    ? bytes
    : new Uint8Array(bytes);
}

/** The answer to one batch; the buffers it holds go to `moved`. */
function answer(request: SplitRequest, moved: ArrayBuffer[]): SplitReply {
  const { id, settings, level } = request;
  const batch = request.batch.buffer;
  let parts: Part[];
  let dropped: number;
  try {
    const deflate = (data: Uint8Array) => threadDeflate(data, level);
    ({ parts, dropped } = splitEntriesSync(unpackRequest(request), settings, deflate));
  } catch (error) {
    moved.push(batch);
    return { id, batch, error: String(error) };
  }
  // The parts are in buffers of their own: the batch's buffer goes back whole.
  moved.push(batch);
  const owned = parts.map((part) => {
    const bytes = own(part.body.bytes, moved);
    moved.push(bytes.buffer as ArrayBuffer);
    return { ...part, body: { bytes, compressed: part.body.compressed } };
  });
  return { id, batch, parts: owned, dropped };
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
