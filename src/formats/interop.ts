import { DEFAULT_JSON_LIMITS, type JsonLimits } from "../wire/json-scan.js";
import type { AcceptedKind } from "../wire/kinds.js";
import { outcome } from "../wire/outcome.js";
import { parsePayload } from "../wire/payload.js";
import type { RejectReason } from "../wire/reasons.js";
import type { Detection, GelfEncoding } from "../wire/receive/detect.js";
import type { DatagramKind, DecodeOutcome } from "../wire/types.js";
import { GelfDecoder, type GelfDecoderOptions } from "./gelf-decoder.js";
import { decodeSyslog } from "./syslog.js";
import { textEntries } from "./text.js";

export interface InteropOptions extends GelfDecoderOptions {
  readonly accept: ReadonlySet<AcceptedKind>;
}

/** The reason an exception while decoding each kind is counted under. */
const SURPRISE: Record<DatagramKind, RejectReason> = {
  framed: "bad-frame",
  json: "invalid-json",
  syslog: "invalid-syslog",
  gelf: "invalid-gelf",
  text: "unknown-format",
  unknown: "unknown-format",
};

/**
 * Reasons after which a datagram whose first byte is printable (`{`, `[`, `<`,
 * or `x` of a zlib header) is read as plain text instead, when text is
 * accepted: it was not what its first bytes made it look like.
 */
const TEXT_FALLBACK: ReadonlySet<RejectReason> = new Set([
  "invalid-json",
  "invalid-syslog",
  "invalid-compression",
]);

/**
 * Decodes the datagrams other programs send, once classified: bare JSON,
 * syslog, GELF (with its own chunk reassembly) and plain text. With text
 * accepted, bare JSON that is `invalid-json`, syslog that is
 * `invalid-syslog` and a zlib candidate that is `invalid-compression` are
 * read as text. Never throws.
 */
export class InteropDecoder {
  readonly gelf: GelfDecoder;
  readonly #text: boolean;
  readonly #limits: JsonLimits;

  constructor(options: InteropOptions) {
    this.gelf = new GelfDecoder(options);
    this.#text = options.accept.has("text");
    this.#limits = options.limits ?? DEFAULT_JSON_LIMITS;
  }

  decode(datagram: Uint8Array, detection: Detection, receivedAtMs: number): DecodeOutcome {
    let out: DecodeOutcome;
    try {
      out = this.#decode(datagram, detection, receivedAtMs);
    } catch {
      out = outcome(detection.kind, { rejected: SURPRISE[detection.kind] });
    }
    if (!this.#text || out.rejected === undefined || !TEXT_FALLBACK.has(out.rejected)) return out;
    if (out.rejected === "invalid-compression" && detection.gelf !== "zlib") return out;
    return outcome("text", { entries: textEntries(datagram, receivedAtMs) });
  }

  #decode(datagram: Uint8Array, detection: Detection, receivedAtMs: number): DecodeOutcome {
    switch (detection.kind) {
      case "json": {
        const parsed = parsePayload(datagram, this.#limits);
        if (!parsed.ok) return outcome("json", { rejected: parsed.reason });
        const { entries, invalidEntries } = parsed.value;
        return outcome("json", { entries, invalidEntries });
      }
      case "syslog": {
        const entry = decodeSyslog(datagram, receivedAtMs, this.#limits.maxFields);
        if (!entry.ok) return outcome("syslog", { rejected: entry.reason });
        return outcome("syslog", { entries: [entry.value] });
      }
      case "gelf":
        return this.#gelf(datagram, detection.gelf ?? "json", receivedAtMs);
      case "text":
        return outcome("text", { entries: textEntries(datagram, receivedAtMs) });
      default:
        return outcome(detection.kind, { rejected: "unknown-format" });
    }
  }

  #gelf(datagram: Uint8Array, encoding: GelfEncoding, receivedAtMs: number): DecodeOutcome {
    const result = this.gelf.decode(datagram, encoding, receivedAtMs);
    switch (result.status) {
      case "entry":
        return outcome("gelf", { entries: [result.entry] });
      case "pending":
        return outcome("gelf", { pending: true });
      case "duplicate":
        return outcome("gelf", { duplicate: true });
      case "rejected":
        // A lone zlib or gzip stream that holds no GELF message is no known kind.
        return outcome(result.reason === "unknown-format" ? "unknown" : "gelf", {
          rejected: result.reason,
        });
    }
  }
}
