import { gunzipCapped, inflateCapped } from "../wire/compression.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits } from "../wire/json-scan.js";
import type { RejectReason } from "../wire/reasons.js";
import { type GelfEncoding, isGzip, isZlibHeader } from "../wire/receive/detect.js";
import type { FormatStats } from "../wire/receive/foreign.js";
import { decodeGelfJson, type GelfObject, gelfEntry } from "./gelf.js";
import { GelfChunks, type GelfChunksOptions } from "./gelf-chunks.js";

/** What one GELF datagram turned into. */
export type GelfResult =
  | { readonly status: "entry"; readonly entry: string }
  | { readonly status: "pending" }
  | { readonly status: "duplicate" }
  | { readonly status: "rejected"; readonly reason: RejectReason };

export interface GelfDecoderOptions extends GelfChunksOptions {
  /** Decompressing stops here; past it `too-large`. */
  maxDecompressedBytes: number;
  /** Bounds on the message's JSON, checked before it is parsed. */
  limits?: JsonLimits;
}

const PENDING: GelfResult = { status: "pending" };
const DUPLICATE: GelfResult = { status: "duplicate" };

function rejected(reason: RejectReason): GelfResult {
  return { status: "rejected", reason };
}

/**
 * GELF datagrams to entries: chunks are reassembled (`GelfChunks`), then the
 * message, chunked or not, is gunzipped or inflated when its first bytes say
 * so (capped at maxDecompressedBytes) and mapped by `gelfEntry`.
 *
 * Content that is not a GELF-shaped object is `unknown-format` for a lone
 * zlib or gzip datagram (those have no magic of their own: they are GELF only
 * when they hold GELF) and `invalid-gelf` inside chunks (whose magic is GELF's).
 */
export class GelfDecoder {
  readonly #chunks: GelfChunks;
  readonly #maxDecompressedBytes: number;
  readonly #limits: JsonLimits;
  #lostAtFinish = 0;

  constructor(options: GelfDecoderOptions) {
    this.#chunks = new GelfChunks(options);
    this.#maxDecompressedBytes = options.maxDecompressedBytes;
    this.#limits = options.limits ?? DEFAULT_JSON_LIMITS;
  }

  decode(datagram: Uint8Array, encoding: GelfEncoding, receivedAtMs: number): GelfResult {
    if (encoding !== "chunked") return this.#message(datagram, receivedAtMs, false);
    const result = this.#chunks.add(datagram);
    switch (result.status) {
      case "pending":
        return PENDING;
      case "duplicate":
        return DUPLICATE;
      case "rejected":
        return rejected(result.reason);
      case "complete":
        return this.#message(result.payload, receivedAtMs, true);
    }
  }

  /** A GELF-shaped object, parsed already from a bare JSON datagram of `byteLength` bytes. */
  decodeObject(message: GelfObject, byteLength: number, receivedAtMs: number): GelfResult {
    if (byteLength > this.#maxDecompressedBytes) return rejected("too-large");
    const entry = gelfEntry(message, receivedAtMs);
    return entry.ok ? { status: "entry", entry: entry.value } : rejected(entry.reason);
  }

  /** Counts chunked messages past the timeout as lost. */
  sweep(): void {
    this.#chunks.sweep();
  }

  /** At shutdown: every chunked message still incomplete is lost. */
  finish(): void {
    this.#lostAtFinish = this.#chunks.partials;
  }

  get stats(): FormatStats {
    return {
      lost: this.#chunks.lost + this.#lostAtFinish,
      partials: this.#chunks.partials,
      reassemblyBytes: this.#chunks.heldBytes,
    };
  }

  #message(bytes: Uint8Array, receivedAtMs: number, chunked: boolean): GelfResult {
    let json = bytes;
    if (isGzip(bytes) || isZlibHeader(bytes)) {
      const decompress = isGzip(bytes) ? gunzipCapped : inflateCapped;
      const out = decompress(bytes, this.#maxDecompressedBytes);
      if (!out.ok) return rejected(out.reason);
      json = out.value;
    } else if (bytes.length > this.#maxDecompressedBytes) {
      return rejected("too-large");
    }
    const entry = decodeGelfJson(json, receivedAtMs, this.#limits);
    if (entry.ok) return { status: "entry", entry: entry.value };
    return rejected(chunked && entry.reason === "unknown-format" ? "invalid-gelf" : entry.reason);
  }
}
