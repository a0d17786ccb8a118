/**
 * What went through a UdpProxy between a reliable client and a server, as a
 * proxy tap records it: which entries each message carried (from the
 * client's uncompressed datagrams, counted by the `"n":` each entry holds)
 * and which seqs the server acknowledged to the client.
 */
import { decodeAck } from "../../src/wire/ack.js";
import { decodeFrame } from "../../src/wire/frame.js";
import { rangeSize } from "../../src/wire/seq-ranges.js";

export class AckTap {
  /** Entry numbers of each seq, from its first datagram seen. */
  readonly entriesOf = new Map<number, number[]>();
  /** Seqs acknowledged to the client so far. */
  readonly acked = new Set<number>();
  #stream: Uint8Array | undefined;

  readonly tap = (direction: "toTarget" | "toClient", datagram: Buffer): void => {
    if (direction === "toTarget") this.#message(datagram);
    else this.#ack(datagram);
  };

  /** Entry numbers of the messages acknowledged so far. */
  ackedEntries(): Set<number> {
    const out = new Set<number>();
    for (const seq of this.acked) for (const n of this.entriesOf.get(seq) ?? []) out.add(n);
    return out;
  }

  #message(datagram: Buffer): void {
    const frame = decodeFrame(datagram);
    if (!frame.ok || frame.value.seq === undefined) return;
    this.#stream ??= frame.value.stream;
    if (this.entriesOf.has(frame.value.seq)) return;
    const text = Buffer.from(frame.value.payload).toString("utf8");
    const numbers = [...text.matchAll(/"n":(\d+)/g)].map((match) => Number(match[1]));
    this.entriesOf.set(frame.value.seq, numbers);
  }

  #ack(datagram: Buffer): void {
    if (this.#stream === undefined) return;
    const result = decodeAck(datagram, { stream: this.#stream, keys: [] });
    if (!result.ok) return;
    for (const range of result.ack.ranges) {
      for (let i = 0; i < rangeSize(range); i++) this.acked.add((range.first + i) >>> 0);
    }
  }
}
