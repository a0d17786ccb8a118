import { DEFAULT_JSON_LIMITS, type JsonLimits, scanJson } from "../wire/json-scan.js";
import type { AcceptedKind } from "../wire/kinds.js";
import { outcome } from "../wire/outcome.js";
import { parsePayload, parsePayloadText, utf8Text } from "../wire/payload.js";
import type { RejectReason } from "../wire/reasons.js";
import type { Detection } from "../wire/receive/detect.js";
import type { ForeignFormats, FormatStats } from "../wire/receive/foreign.js";
import type { DecodeOutcome } from "../wire/types.js";
import { gelfObjectOf } from "./gelf.js";
import { GelfDecoder, type GelfDecoderOptions, type GelfResult } from "./gelf-decoder.js";
import { decodeSyslog } from "./syslog.js";
import { textEntries } from "./text.js";

export interface InteropOptions extends GelfDecoderOptions {
  readonly accept: ReadonlySet<AcceptedKind>;
}

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

function unknownFormat(): DecodeOutcome {
  return outcome("unknown", { rejected: "unknown-format" });
}

/**
 * Decodes the datagrams other programs send, once classified: bare JSON,
 * syslog, GELF (with its own chunk reassembly) and plain text. A bare JSON
 * object that may be GELF is scanned and parsed once, then decoded as GELF
 * when it is GELF-shaped and as JSON otherwise. With text accepted, bare JSON
 * that is `invalid-json`, syslog that is `invalid-syslog` and a zlib
 * candidate that is `invalid-compression` are read as text. Throws only on a
 * bug (see `ForeignFormats`).
 */
export class InteropDecoder implements ForeignFormats {
  readonly #gelf: GelfDecoder;
  readonly #json: boolean;
  readonly #text: boolean;
  readonly #limits: JsonLimits;

  constructor(options: InteropOptions) {
    this.#gelf = new GelfDecoder(options);
    this.#json = options.accept.has("json");
    this.#text = options.accept.has("text");
    this.#limits = options.limits ?? DEFAULT_JSON_LIMITS;
  }

  decode(datagram: Uint8Array, detection: Detection, receivedAtMs: number): DecodeOutcome {
    const out = this.#decode(datagram, detection, receivedAtMs);
    if (!this.#text || out.rejected === undefined || !TEXT_FALLBACK.has(out.rejected)) return out;
    if (out.rejected === "invalid-compression" && detection.gelf !== "zlib") return out;
    return outcome("text", { entries: textEntries(datagram, receivedAtMs) });
  }

  sweep(): void {
    this.#gelf.sweep();
  }

  finish(): void {
    this.#gelf.finish();
  }

  get stats(): Readonly<Record<string, FormatStats>> {
    return { gelf: this.#gelf.stats };
  }

  #decode(datagram: Uint8Array, detection: Detection, receivedAtMs: number): DecodeOutcome {
    if (detection.gelf === "json") return this.#jsonObject(datagram, receivedAtMs);
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
      case "gelf": {
        const encoding = detection.gelf ?? "json";
        return this.#gelfOutcome(this.#gelf.decode(datagram, encoding, receivedAtMs));
      }
      case "text":
        return outcome("text", { entries: textEntries(datagram, receivedAtMs) });
      default:
        return unknownFormat();
    }
  }

  /**
   * A bare JSON object while GELF is accepted: scanned once; GELF when the
   * one parse finds it GELF-shaped; otherwise JSON, or, with JSON off, text
   * (when accepted) or `unknown-format`.
   */
  #jsonObject(datagram: Uint8Array, receivedAtMs: number): DecodeOutcome {
    const text = utf8Text(datagram);
    const refused = scanJson(text, this.#limits);
    const message = refused === undefined ? gelfObjectOf(text) : undefined;
    if (message !== undefined) {
      return this.#gelfOutcome(this.#gelf.decodeObject(message, datagram.length, receivedAtMs));
    }
    if (!this.#json) {
      return this.#text
        ? outcome("text", { entries: textEntries(datagram, receivedAtMs) })
        : unknownFormat();
    }
    const parsed = parsePayloadText(text, () => refused, this.#limits);
    if (!parsed.ok) return outcome("json", { rejected: parsed.reason });
    const { entries, invalidEntries } = parsed.value;
    return outcome("json", { entries, invalidEntries });
  }

  #gelfOutcome(result: GelfResult): DecodeOutcome {
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
