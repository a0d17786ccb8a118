/**
 * A decoder that reads the project's own frames and every foreign format the
 * server ingests: the wire decoder, given the formats of this folder.
 */
import { DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from "../wire/constants.js";
import { DEFAULT_JSON_LIMITS } from "../wire/json-scan.js";
import { DEFAULT_ACCEPTED_KINDS } from "../wire/kinds.js";
import { Decoder } from "../wire/receive/decoder.js";
import type { DecoderOptions } from "../wire/receive/decoder-options.js";
import type { ForeignFormats } from "../wire/receive/foreign.js";
import { InteropDecoder } from "./interop.js";

export interface DecoderSetup extends Omit<DecoderOptions, "formats"> {
  /** Default: bare JSON, syslog, GELF and text, as `accept` and the bounds below say. */
  readonly formats?: ForeignFormats;
  /** GELF chunks held at once across all messages (default GELF_MAX_HELD_BYTES). */
  readonly maxHeldGelfBytes?: number;
}

/** A Decoder whose foreign formats are this folder's, built from the same options. */
export function createDecoder(setup: DecoderSetup): Decoder {
  const { formats, maxHeldGelfBytes, ...options } = setup;
  return new Decoder({
    ...options,
    formats:
      formats ??
      new InteropDecoder({
        accept: new Set(options.accept ?? DEFAULT_ACCEPTED_KINDS),
        now: options.now,
        maxDecompressedBytes: options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
        maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        ...(maxHeldGelfBytes === undefined ? {} : { maxHeldBytes: maxHeldGelfBytes }),
        limits: options.limits ?? DEFAULT_JSON_LIMITS,
      }),
  });
}
