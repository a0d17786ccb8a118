/**
 * Every bound and default that more than one place uses: the wire encoder,
 * the client library, the server library, the commands and the metrics all
 * read them from here. Nothing here depends on the rest of the project.
 */

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

/** Largest UDP port number. */
export const MAX_PORT = 65_535;

/**
 * Largest datagram sent (65,535 less the 20-byte IPv4 and 8-byte UDP
 * headers), and the default. IPv6 would carry 20 bytes more, but a larger
 * datagram fails with EMSGSIZE over IPv4, so one bound holds on either
 * family.
 */
export const MAX_DATAGRAM_BYTES = 65_507;
/** Default largest datagram: the largest there is. */
export const DEFAULT_MAX_DATAGRAM_BYTES = MAX_DATAGRAM_BYTES;
/**
 * Smallest maxDatagramBytes of the library and the encoder: the largest
 * frame header (35 bytes: magic, flags, stream and seq, fragment header,
 * tag) still leaves room for payload.
 */
export const MIN_DATAGRAM_BYTES = 64;
/**
 * The classic safe UDP payload (576 - 60 - 8), which every IPv4 path
 * carries unfragmented: the smallest `--max-datagram`, where a smaller
 * limit is a typo rather than a network's need.
 */
export const SAFE_DATAGRAM_BYTES = 508;

/**
 * Most retries of one datagram. The backoff is capped at 2 s, so this is
 * minutes of retrying, far past the 10 s that close() waits.
 */
export const MAX_RETRIES = 100;

/**
 * The largest payload, after inflating (or as it came, uncompressed): past
 * it `too-large`, with room for a full datagram of real logs inflated; the
 * time one payload holds the server grows with its size.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = MIB;
/** Largest reassembled fragmented message; past it `too-large`. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * MIB;
/** Output the server holds while its reader is slow; past it entries are dropped. */
export const DEFAULT_MAX_PENDING_OUTPUT_BYTES = 64 * MIB;

/*
 * The client's defaults: `shipper-client`'s options and createShipper's
 * options alike read them here.
 */
/** Default target UDP port. */
export const DEFAULT_TARGET_PORT = 9999;
/** Default entries per batch. */
export const DEFAULT_BATCH_SIZE = 10;
/** Default time a partial batch waits before it is sent. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;
/** Default bound on a batch's JSON bytes: 0, off. */
export const DEFAULT_BATCH_BYTES = 0;
/**
 * Default zlib level of the client's compressed payloads: levels 1 to 3 take
 * about half the time of 6 for a few percent more bytes (docs/performance.md).
 */
export const DEFAULT_CLIENT_COMPRESSION_LEVEL = 3;
/** Default retries of a datagram after a retryable send error. */
export const DEFAULT_MAX_RETRIES = 3;
/** Default service of an entry that names none. */
export const DEFAULT_SERVICE = "batch-log-shipper";
