import { MAGIC } from "../constants.js";
import { isSpace } from "../json-scan.js";
import { type AcceptedKind, CONTRACT_KINDS } from "../kinds.js";
import type { DatagramKind } from "../types.js";

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** First two bytes of a GELF chunk. */
export const GELF_CHUNK_MAGIC = Uint8Array.of(0x1e, 0x0f);
/** First two bytes of a gzip member (RFC 1952). */
const GZIP_MAGIC = Uint8Array.of(0x1f, 0x8b);

/** How a GELF message is carried. */
export type GelfEncoding = "chunked" | "gzip" | "zlib" | "json";

/** What the first bytes say a datagram is, among the accepted kinds. */
export interface Detection {
  readonly kind: DatagramKind;
  /**
   * How the message is carried when it may be GELF: set for every "gelf"
   * kind, and "json" for a bare JSON object while GELF is accepted (GELF or
   * plain JSON, told apart once it is parsed).
   */
  readonly gelf: GelfEncoding | undefined;
}

function hasBom(datagram: Uint8Array): boolean {
  return datagram[0] === BOM[0] && datagram[1] === BOM[1] && datagram[2] === BOM[2];
}

function startsWith(datagram: Uint8Array, magic: Uint8Array): boolean {
  return datagram[0] === magic[0] && datagram[1] === magic[1];
}

/**
 * True when the first two bytes are a zlib header (RFC 1950) as a compressor
 * writes it: CMF 0x78 (deflate, 32 KiB window), FLG such that CMF*256+FLG is
 * a multiple of 31, and no preset dictionary (FDICT clear). With FDICT clear
 * the only printable second bytes are `^` (0x5E) and 0x01/0x9C/0xBB/0xDA.
 */
export function isZlibHeader(bytes: Uint8Array): boolean {
  const cmf = bytes[0];
  const flg = bytes[1];
  if (cmf !== 0x78 || flg === undefined) return false;
  return (cmf * 256 + flg) % 31 === 0 && (flg & 0x20) === 0;
}

export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, GZIP_MAGIC);
}

/** Index of the first byte after an optional BOM and JSON white space. */
function jsonStart(datagram: Uint8Array): number {
  let i = hasBom(datagram) ? BOM.length : 0;
  while (i < datagram.length && isSpace(datagram[i] ?? 0)) i++;
  return i;
}

/** The GELF carriers told by their first bytes alone (uncompressed GELF is JSON). */
function binaryGelf(datagram: Uint8Array): GelfEncoding | undefined {
  if (startsWith(datagram, GELF_CHUNK_MAGIC)) return "chunked";
  if (isGzip(datagram)) return "gzip";
  if (isZlibHeader(datagram)) return "zlib";
  return undefined;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** `<`, one to three ASCII digits, `>`: a syslog PRI, whatever its value. */
function hasPri(datagram: Uint8Array): boolean {
  if (datagram[0] !== LESS_THAN) return false;
  let i = 1;
  while (i <= 3 && isDigit(datagram[i])) i++;
  return i > 1 && datagram[i] === GREATER_THAN;
}

const UNKNOWN: Detection = { kind: "unknown", gelf: undefined };

/**
 * Tells what a datagram is from its first bytes alone, by trying, in this
 * order, the tests of the accepted kinds; the first that matches wins:
 *
 * 1. framed: `CB F2`;
 * 2. gelf: `1E 0F` (a chunk), `1F 8B` (gzip), or a zlib header (`isZlibHeader`);
 * 3. bare JSON: an optional UTF-8 BOM, optional JSON white space, then `[` or
 *    `{`. It is json when json is accepted, else gelf when it is an object
 *    and gelf is accepted. An object while gelf is accepted is marked
 *    `gelf: "json"`: after its one parse, a GELF-shaped object is GELF, any
 *    other JSON is json (or, with json off, goes on to the kinds below);
 * 4. syslog: `<`, one to three ASCII digits, `>`;
 * 5. text: any other non-empty datagram;
 * 6. otherwise unknown, the empty datagram always included.
 *
 * Without `accept`, only PROTOCOL.md section 1's kinds (framed, json) are
 * recognized. Whether a zlib or gzip candidate really holds GELF is decided
 * by the decoder, after decompressing it.
 */
export function classify(
  datagram: Uint8Array,
  accept: ReadonlySet<AcceptedKind> = CONTRACT_KINDS,
): Detection {
  if (datagram.length === 0) return UNKNOWN;
  if (accept.has("framed") && startsWith(datagram, MAGIC))
    return { kind: "framed", gelf: undefined };
  const gelf = accept.has("gelf");
  const binary = gelf ? binaryGelf(datagram) : undefined;
  if (binary !== undefined) return { kind: "gelf", gelf: binary };
  const first = datagram[jsonStart(datagram)];
  const maybeGelf = gelf && first === OPEN_BRACE;
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    if (accept.has("json")) return { kind: "json", gelf: maybeGelf ? "json" : undefined };
    if (maybeGelf) return { kind: "gelf", gelf: "json" };
  }
  if (accept.has("syslog") && hasPri(datagram)) {
    return { kind: "syslog", gelf: undefined };
  }
  if (accept.has("text")) return { kind: "text", gelf: undefined };
  return UNKNOWN;
}

/**
 * The kind alone (see `classify`). `detect(datagram)` is PROTOCOL.md section
 * 1: `CB F2` is framed; an optional BOM, JSON white space, then `[` or `{` is
 * json; anything else, the empty datagram included, is unknown.
 */
export function detect(
  datagram: Uint8Array,
  accept: ReadonlySet<AcceptedKind> = CONTRACT_KINDS,
): DatagramKind {
  return classify(datagram, accept).kind;
}
