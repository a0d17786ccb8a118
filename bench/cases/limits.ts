/**
 * What the machine allows, measured in the same run: a bare sender of
 * prebuilt datagrams (as fast as the socket takes them) against a bare
 * receiver that only counts, and the codec's throughput on the batches the
 * client makes (node:zlib, which the commands use, and fflate).
 */
import { deflateSync, inflateSync } from "node:zlib";
import { unzlibSync, zlibSync } from "fflate";
import { type LineKind, payloads } from "../lib/data.js";
import { ENTRIES_PER_DATAGRAM, type Sender } from "../lib/sender.js";
import type { Sink } from "../lib/sink.js";
import { median, medianOf, perSecond } from "../lib/stats.js";

export interface SocketLimit {
  /** Datagrams per second the bare sender got into the socket. */
  readonly sendRate: number;
  /** Datagrams per second the bare receiver counted (first to last). */
  readonly receiveRate: number;
  readonly sendEntriesPerSecond: number;
  readonly receiveEntriesPerSecond: number;
  /** Share of sent datagrams the receiver did not count. */
  readonly receiveLoss: number;
  readonly datagramBytes: number;
}

export async function socketLimit(sender: Sender, sink: Sink, ms: number, runs: number) {
  const results: SocketLimit[] = [];
  for (let i = 0; i < runs; i++) {
    await sink.reset();
    const sent = await sender.send(sink.port, 0, ms);
    const got = await sink.take(100);
    const receiveRate = perSecond(got.datagrams - 1, got.spanSeconds);
    results.push({
      sendRate: sent.rate,
      receiveRate,
      sendEntriesPerSecond: sent.rate * ENTRIES_PER_DATAGRAM,
      receiveEntriesPerSecond: receiveRate * ENTRIES_PER_DATAGRAM,
      receiveLoss: sent.sent > 0 ? 1 - got.datagrams / sent.sent : Number.NaN,
      datagramBytes: median([...sender.datagramBytes]),
    });
  }
  return { median: medianOf(results), runs: results };
}

export interface CodecLimit {
  readonly kind: LineKind;
  readonly library: "node:zlib" | "fflate";
  readonly operation: "compress" | "inflate";
  /** Entries per second through the operation, batches of 100. */
  readonly entriesPerSecond: number;
  /** Uncompressed JSON bytes per second. */
  readonly megabytesPerSecond: number;
  readonly compressedBytes: number;
}

const CODEC_BATCHES = 16;

function throughput(inputs: readonly Uint8Array[], ms: number, work: (input: Uint8Array) => void) {
  const start = performance.now();
  let rounds = 0;
  while (performance.now() - start < ms) {
    for (const input of inputs) work(input);
    rounds += inputs.length;
  }
  return perSecond(rounds, (performance.now() - start) / 1000);
}

/** Batches per second of each operation, median of `runs` runs of `ms` each. */
export function codecLimits(kind: LineKind, ms: number, runs: number): CodecLimit[] {
  const plain = payloads(kind, CODEC_BATCHES, ENTRIES_PER_DATAGRAM);
  const jsonBytes = plain.reduce((sum, p) => sum + p.length, 0) / plain.length;
  const viaNode = plain.map((p) => deflateSync(p, { level: 6 }));
  const viaFflate = plain.map((p) => zlibSync(p, { level: 6 }));
  const size = (list: Uint8Array[]) =>
    Math.round(list.reduce((s, b) => s + b.length, 0) / list.length);
  const cases = [
    [
      "node:zlib",
      "compress",
      plain,
      (p: Uint8Array) => deflateSync(p, { level: 6 }),
      size(viaNode),
    ],
    ["fflate", "compress", plain, (p: Uint8Array) => zlibSync(p, { level: 6 }), size(viaFflate)],
    ["node:zlib", "inflate", viaNode, (p: Uint8Array) => inflateSync(p), size(viaNode)],
    ["fflate", "inflate", viaFflate, (p: Uint8Array) => unzlibSync(p), size(viaFflate)],
  ] as const;
  return cases.map(([library, operation, inputs, work, compressedBytes]) => {
    const rate = median(Array.from({ length: runs }, () => throughput(inputs, ms, work)));
    return {
      kind,
      library,
      operation,
      entriesPerSecond: rate * ENTRIES_PER_DATAGRAM,
      megabytesPerSecond: (rate * jsonBytes) / 1e6,
      compressedBytes,
    };
  });
}
