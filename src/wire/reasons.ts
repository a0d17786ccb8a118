/**
 * Rejection reasons: the same strings in the server's summary, its stats,
 * metrics and docs. A datagram or entry that is not accepted is counted under
 * exactly one of these.
 */
export const REJECT_REASONS = [
  /** First bytes match no known kind. */
  "unknown-format",
  /** A reserved flag bit or ACK is set, or FRAGMENT/SIGNED/ACK_REQUESTED without SEQUENCED. */
  "unsupported-flags",
  /** A framed datagram shorter than the headers its flags announce. */
  "bad-frame",
  /** Fragment count outside 2..4096, index >= count, or fragments of one message that disagree. */
  "bad-fragment",
  /** Inflated past the decompression cap, or a reassembled message past the message cap. */
  "too-large",
  /** The payload is not JSON, or not an array or object. */
  "invalid-json",
  /** JSON nested deeper than the server's --max-depth (default 64). */
  "too-deep",
  /** A payload array with more entries than the server's --max-entries (default 30,000). */
  "too-many-entries",
  /** An entry holding more values, nested ones included, than the server's --max-fields (default 1,000). */
  "too-many-fields",
  /** The zlib stream does not inflate (bad header, bad data, bad checksum, truncated). */
  "invalid-compression",
  /** One element of the entry array is not a JSON object (the others are kept). */
  "invalid-entry",
  /** A server with a key got an unsigned datagram or a tag that does not match. */
  "unauthenticated",
  /** The sender's address is outside the server's allow-list. */
  "not-allowed",
  /** The sender passed the server's per-source rate limit. */
  "rate-limited",
  /** A syslog datagram whose PRI is above 191, or an RFC 5424 header that does not parse. */
  "invalid-syslog",
  /** A GELF message missing `version` or `short_message`, or a field of the wrong type. */
  "invalid-gelf",
  /**
   * Decoding threw: a bug of the receiver, never the sender's fault. The
   * datagram is dropped; the server logs the first one of each kind.
   */
  "internal-error",
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];
