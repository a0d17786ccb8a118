/**
 * The program of the splitting thread (src/client/split-thread.ts): each
 * message is the packed batches the main thread handed over in one turn,
 * each split exactly as BatchEncoder.encode() splits it (splitEntriesSync
 * with node:zlib's deflateSync, the entries read in place), and the parts of
 * them all go back in one message on the `replies` port. Only the payload
 * bytes cross back, each in a buffer of its own that is moved, not copied.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { deflateSync } from "node:zlib";
import { splitEntriesSync } from "../wire/send/split-runners.js";
import type { Part } from "../wire/send/splitter.js";
import { type SplitReply, type SplitRequest, unpackRequest } from "./split-request.js";

/** The reply to one batch; the buffers it moves go to `moved`. */
function answer(request: SplitRequest, moved: ArrayBuffer[]): SplitReply {
  const { id, settings, level } = request;
  let parts: Part[];
  let dropped: number;
  try {
    const zip = (data: Uint8Array) => deflateSync(data, { level });
    ({ parts, dropped } = splitEntriesSync(unpackRequest(request), settings, zip));
  } catch (error) {
    return { id, error: String(error) };
  }
  const own = parts.map((part) => {
    const bytes = new Uint8Array(part.body.bytes);
    moved.push(bytes.buffer);
    return { ...part, body: { bytes, compressed: part.body.compressed } };
  });
  return { id, parts: own, dropped };
}

if (parentPort !== null) {
  const replies = (workerData as { replies: MessagePort }).replies;
  parentPort.on("message", (requests: readonly SplitRequest[]) => {
    const moved: ArrayBuffer[] = [];
    const answers = requests.map((request) => answer(request, moved));
    replies.postMessage(answers, moved);
  });
}
