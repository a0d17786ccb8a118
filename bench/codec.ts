/**
 * zlib on the codec's paths: node:zlib against fflate on batches of 100 log
 * entries, compress and inflate throughput (MB/s of uncompressed JSON) and
 * output size, median of 5 runs. Every rate counts uncompressed JSON bytes,
 * so compress and inflate figures compare directly.
 *
 *   npx tsx bench/codec.ts
 */
import { inflateSync } from "node:zlib";
import { unzlibSync, zlibSync } from "fflate";
import { compress, inflateCapped } from "../src/wire/compression.js";
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from "../src/wire/constants.js";
import { parsePayload } from "../src/wire/payload.js";

const RUNS = 5;
const ROUNDS = 2_000;
const BATCHES = 16;
const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

function batch(seed: number): Uint8Array {
  const entries = Array.from({ length: 100 }, (_, i) => ({
    timestamp: new Date(1_800_000_000_000 + (seed * 100 + i) * 137).toISOString(),
    level: LEVELS[(seed + i) % LEVELS.length],
    message: `GET /api/orders/${(seed * 7919 + i * 104729) % 100000} took ${(seed * 31 + i * 17) % 997} ms`,
    service: "batch-log-shipper",
    metadata: { "user.id": `u${(seed * 13 + i) % 500}`, attempt: i % 3, region: "eu-west-1" },
  }));
  return new TextEncoder().encode(JSON.stringify(entries));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** MB/s (10^6 bytes of uncompressed JSON per second), median of RUNS runs. */
function throughput(inputs: readonly Uint8Array[], work: (input: Uint8Array) => void): number {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) work(inputs[i % inputs.length] as Uint8Array);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push((jsonBytesPerRound * ROUNDS) / seconds / 1e6);
  }
  return median(rates);
}

const avg = (list: Uint8Array[]) =>
  Math.round(list.reduce((s, b) => s + b.length, 0) / list.length);
const plain = Array.from({ length: BATCHES }, (_, seed) => batch(seed));
const jsonBytesPerRound = avg(plain);
const viaNode = plain.map((input) => compress(input, 6));
const viaFflate = plain.map((input) => zlibSync(input, { level: 6 }));

const rows = [
  ["node:zlib", "compress L6", throughput(plain, (input) => compress(input, 6)), avg(viaNode)],
  [
    "fflate",
    "compress L6",
    throughput(plain, (input) => zlibSync(input, { level: 6 })),
    avg(viaFflate),
  ],
  [
    "node:zlib",
    "inflateCapped",
    throughput(viaNode, (input) => inflateCapped(input, DEFAULT_MAX_DECOMPRESSED_BYTES)),
    avg(plain),
  ],
  ["node:zlib", "inflateSync", throughput(viaNode, (input) => inflateSync(input)), avg(plain)],
  ["fflate", "unzlibSync", throughput(viaFflate, (input) => unzlibSync(input)), avg(plain)],
  ["codec", "parsePayload", throughput(plain, (input) => parsePayload(input)), 0],
] as const;

console.log(`node ${process.version}, ${ROUNDS} batches of 100 entries per run, median of ${RUNS}`);
console.log(`uncompressed batch: ${avg(plain)} bytes`);
for (const [lib, op, rate, bytes] of rows) {
  const output = bytes > 0 ? `  output ${bytes} B` : "";
  console.log(`${lib.padEnd(10)} ${op.padEnd(14)} ${rate.toFixed(1).padStart(7)} MB/s${output}`);
}
