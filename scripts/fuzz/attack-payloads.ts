/**
 * Payloads of the attack suite, built from the attacks' descriptions (so many
 * brackets, entries, keys or elements), never from the server's caps of the
 * day, and the ways they travel: the original shipper's `CB F2 01` frame, a
 * fragmented framed message, gzip or zlib GELF, GELF chunks, bare JSON.
 */
import { deflateSync, gzipSync } from "node:zlib";
import { concat, MAX_DATAGRAM, utf8 } from "./envelope.js";
import { rawFragment } from "./fragments.js";

const SEQUENCED = 0x02;
const FRAGMENT = 0x04;
const COMPRESSED = 0x01;
/** Bytes of payload per fragment or GELF chunk of a message too large for one datagram. */
export const SLICE_BYTES = 60_000;
const GELF_CHUNK_MAGIC = [0x1e, 0x0f];
const GELF_MAX_CHUNKS = 128;

/** `n` copies of `unit` joined by `separator`, as Latin-1 bytes (built without a giant string). */
function repeated(head: string, unit: string, separator: string, n: number, tail: string) {
  const out = Buffer.allocUnsafe(
    head.length + n * unit.length + Math.max(0, n - 1) * separator.length + tail.length,
  );
  let at = out.write(head, 0, "latin1");
  const step = Buffer.from(`${separator}${unit}`, "latin1");
  if (n > 0) at += out.write(unit, at, "latin1");
  for (let i = 1; i < n; i++) at += step.copy(out, at);
  out.write(tail, at, "latin1");
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** `depth` `[` then `depth` `]`, between `head` and `tail`. */
export function nested(depth: number, head = "", tail = ""): Uint8Array {
  const out = Buffer.alloc(head.length + 2 * depth + tail.length);
  let at = out.write(head, 0, "latin1");
  out.fill(0x5b, at, at + depth);
  out.fill(0x5d, at + depth, at + 2 * depth);
  at += 2 * depth;
  out.write(tail, at, "latin1");
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** `[{},{},...]`: `count` empty entries. */
export const emptyEntries = (count: number) => repeated("[", "{}", ",", count, "]");

/** `{"a":[1,1,...]}`: one entry holding an array of `count` elements. */
export const wideEntry = (count: number) => repeated('{"a":[', "1", ",", count, "]}");

/** `[[],[],...]`: an array of `count` empty arrays. */
export const wideArrays = (count: number) => repeated("[", "[]", ",", count, "]");

/** `{"k0":0,"k1":0,...}` with `count` distinct keys named `prefix` + decimal, after `head`. */
export function manyKeys(count: number, prefix: string, head = ""): Uint8Array {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`"${prefix}${i}":0`);
  const comma = head === "" || count === 0 ? "" : ",";
  return utf8(`{${head}${comma}${parts.join(",")}}`);
}

/** Keys drawn from 62 characters, shortest first: as many distinct keys as fit in few bytes. */
function shortKey(n: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let key = "";
  let rest = n;
  let width = 1;
  while (rest >= alphabet.length ** width) rest -= alphabet.length ** width++;
  for (let i = 0; i < width; i++) {
    key = (alphabet[rest % alphabet.length] ?? "a") + key;
    rest = Math.floor(rest / alphabet.length);
  }
  return key;
}

/**
 * One object of up to `wanted` distinct keys (`{"a":0,"b":0,...}`), no longer
 * than `maxBytes`: a bare JSON datagram cannot hold more than about 8,700.
 */
export function keysWithin(wanted: number, maxBytes: number): { bytes: Uint8Array; keys: number } {
  let text = "{";
  let keys = 0;
  while (keys < wanted) {
    const part = `${keys === 0 ? "" : ","}"${shortKey(keys)}":0`;
    if (text.length + part.length + 1 > maxBytes) break;
    text += part;
    keys++;
  }
  return { bytes: utf8(`${text}}`), keys };
}

/**
 * An RFC 5424 syslog datagram whose STRUCTURED-DATA holds as many distinct
 * params (`p0="" p1="" ...`) as fit in `maxBytes`, up to `wanted`.
 */
export function syslogParams(
  wanted: number,
  maxBytes: number,
): { bytes: Uint8Array; params: number } {
  const head = "<14>1 2026-01-01T00:00:00Z attack-host attack - - [x@32473";
  const tail = "] structured data";
  let params = 0;
  let text = head;
  while (params < wanted) {
    const part = ` p${params.toString(36)}=""`;
    if (text.length + part.length + tail.length > maxBytes) break;
    text += part;
    params++;
  }
  return { bytes: utf8(text + tail), params };
}

/** The GELF 1.1 envelope around `_a`: the bytes of `value` (any JSON text). */
export function gelfWith(value: Uint8Array): Uint8Array {
  return concat(utf8('{"version":"1.1","short_message":"x","_a":'), value, utf8("}"));
}

/** GELF 1.1 with `count` additional fields `_0`, `_1`, ... */
export const gelfKeys = (count: number) =>
  manyKeys(count, "_", '"version":"1.1","short_message":"x"');

export const zlib = (data: Uint8Array): Uint8Array => deflateSync(data, { level: 9 });
export const gzip = (data: Uint8Array): Uint8Array => gzipSync(data, { level: 9 });

/** The original shipper's datagram: `CB F2 01` + zlib. */
export const legacyFrame = (zlibStream: Uint8Array) =>
  concat(Uint8Array.of(0xcb, 0xf2, 0x01), zlibStream);

/** A fresh 8-byte stream id: `tag` then a counter. */
export function streamId(tag: number, n: number): Uint8Array {
  const id = new Uint8Array(8);
  const view = new DataView(id.buffer);
  view.setUint32(0, tag >>> 0);
  view.setUint32(4, n >>> 0);
  return id;
}

/** A payload cut into SLICE_BYTES fragments of one sequenced message (at least 2). */
export function fragmented(
  payload: Uint8Array,
  stream: Uint8Array,
  compressed: boolean,
  slices = Math.max(2, Math.ceil(payload.length / SLICE_BYTES)),
): Uint8Array[] {
  const size = Math.ceil(payload.length / slices);
  const flags = SEQUENCED | FRAGMENT | (compressed ? COMPRESSED : 0);
  return Array.from({ length: slices }, (_, index) =>
    rawFragment(
      { flags, stream, seq: 0, index, count: slices },
      payload.subarray(index * size, (index + 1) * size),
    ),
  );
}

/** A compressed payload as one `CB F2 01` datagram, or as a fragmented message when too large. */
export function framed(zlibStream: Uint8Array, stream: Uint8Array): Uint8Array[] {
  if (zlibStream.length + 3 <= MAX_DATAGRAM) return [legacyFrame(zlibStream)];
  return fragmented(zlibStream, stream, true);
}

/** A GELF message (gzip or zlib bytes) as one datagram, or as GELF chunks when too large. */
export function gelfDatagrams(message: Uint8Array, id: Uint8Array): Uint8Array[] {
  if (message.length <= MAX_DATAGRAM) return [message];
  const count = Math.ceil(message.length / SLICE_BYTES);
  if (count > GELF_MAX_CHUNKS) throw new RangeError(`GELF message of ${count} chunks`);
  return Array.from({ length: count }, (_, index) =>
    concat(
      Uint8Array.from([...GELF_CHUNK_MAGIC, ...id, index, count]),
      message.subarray(index * SLICE_BYTES, (index + 1) * SLICE_BYTES),
    ),
  );
}

/**
 * Ordinary datagrams of every kind the server accepts by default (framed
 * zlib, bare JSON, gzip GELF, RFC 5424 syslog), `each` of each: sent before
 * an attack so that the decoder's code is warm and a stall is the attack's.
 */
/** `count` ordinary entries, as a busy service logs them. */
function busyBatch(seed: number, count: number): string {
  const entries = Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      timestamp: "2026-11-24T10:30:00.123Z",
      level: "INFO",
      message: `request ${seed}-${n} served in ${n % 97} ms`,
      service: "api",
      metadata: { route: "/orders", status: 200 },
    }),
  );
  return `[${entries.join(",")}]`;
}

export function warmUpDatagrams(each: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < each; i++) {
    out.push(legacyFrame(zlib(utf8(`[{"message":"warm-up","n":${i}},{"n":${i}}]`))));
    out.push(utf8(`{"message":"warm-up","n":${i}}`));
    out.push(gzip(utf8(`{"version":"1.1","short_message":"warm-up","_n":${i}}`)));
    out.push(utf8(`<14>1 2026-01-01T00:00:00Z host warm - - [x@32473 n="${i}"] warm-up`));
    // A busy client's batch now and then: larger payloads take paths small ones do not.
    if (i % 10 === 0) out.push(legacyFrame(zlib(utf8(busyBatch(i, 500)))));
  }
  return out;
}
