/**
 * Deterministic benchmark input: application log lines (plain text and JSON
 * objects) numbered by an `id=N` at the end of their message, and the
 * batches and datagrams the client would make of them.
 */
import { lineToEntry } from "../../src/commands/client/input/entry.js";
import { compress } from "../../src/wire/compression.js";
import { MAGIC_BYTES, STREAM_ID_BYTES } from "../../src/wire/constants.js";
import { encodeFrame } from "../../src/wire/frame.js";

export type LineKind = "text" | "json";

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
const PATHS = ["/api/orders", "/api/users", "/api/cart", "/health", "/api/payments"];
const EPOCH_MS = 1_800_000_000_000;
const encoder = new TextEncoder();

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

/** A plain application log line, about 100 bytes. */
export function textLine(id: number): string {
  const time = new Date(EPOCH_MS + id * 137).toISOString().replace("T", " ").replace("Z", "");
  const path = `${pick(PATHS, id)}/${(id * 7919) % 100_000}`;
  return `${time} ${pick(LEVELS, id)} [worker-${id % 8}] GET ${path} 200 in ${(id * 31) % 997} ms id=${id}`;
}

/** A structured log line: one JSON object with a timestamp, about 200 bytes. */
export function jsonLine(id: number): string {
  return JSON.stringify({
    timestamp: new Date(EPOCH_MS + id * 137).toISOString(),
    level: pick(LEVELS, id),
    message: `GET ${pick(PATHS, id)}/${(id * 104_729) % 100_000} took ${(id * 17) % 997} ms id=${id}`,
    service: "checkout",
    metadata: { "user.id": `u${(id * 13) % 500}`, attempt: id % 3, region: "eu-west-1" },
  });
}

export function line(kind: LineKind, id: number): string {
  return kind === "text" ? textLine(id) : jsonLine(id);
}

/** Lines `start` .. `start + count - 1`, each ended by LF, as one buffer. */
export function linesBlock(kind: LineKind, start: number, count: number): Buffer {
  const parts: string[] = new Array(count);
  for (let i = 0; i < count; i++) parts[i] = line(kind, start + i);
  return Buffer.from(`${parts.join("\n")}\n`);
}

/** The id at the end of a line's message (`id=N`), or -1. */
export function idOf(text: string): number {
  const at = text.lastIndexOf("id=");
  if (at < 0) return -1;
  let id = 0;
  let i = at + 3;
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    id = id * 10 + digit;
  }
  return i === at + 3 ? -1 : id;
}

/** The entries as the client serializes them (text lines wrapped, JSON lines as they are). */
export function entryJsons(kind: LineKind, start: number, count: number): string[] {
  const defaults = {
    level: "INFO",
    service: "batch-log-shipper",
    now: () => new Date(EPOCH_MS),
  } as const;
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify(lineToEntry(line(kind, start + i), defaults)),
  );
}

/** `batches` JSON arrays of `size` entries each, as the client's payloads, uncompressed. */
export function payloads(kind: LineKind, batches: number, size: number): Uint8Array[] {
  return Array.from({ length: batches }, (_, b) =>
    encoder.encode(`[${entryJsons(kind, b * size, size).join(",")}]`),
  );
}

/** Byte offset of the seq (uint32 BE) in a sequenced frame. */
export const SEQ_OFFSET = MAGIC_BYTES + 1 + STREAM_ID_BYTES;

/**
 * Datagrams as the client sends them by default (sequenced, compressed), one
 * per payload, all with seq 0: a sender sets the seq of each copy it sends.
 */
export function datagramTemplates(kind: LineKind, batches: number, size: number): Uint8Array[] {
  const stream = Uint8Array.of(0xbe, 0x4c, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05);
  return payloads(kind, batches, size).map((payload) =>
    encodeFrame({ compressed: true, stream, seq: 0 }, compress(payload)),
  );
}

/**
 * What a bench sender sends: our datagrams of 100 entries (`framed`, the
 * bench's batch) or of 10 (`framed-10`, the client's default batch), or one
 * foreign message each.
 */
export type DatagramShape = "framed" | "framed-10" | "syslog-3164" | "syslog-5424" | "json";

/** True for our own datagrams (framed, with a seq for the sender to stamp). */
export function isFramed(shape: DatagramShape): boolean {
  return shape === "framed" || shape === "framed-10";
}

/** Entries in each datagram of a shape. */
export function entriesPerDatagramOf(shape: DatagramShape): number {
  if (shape === "framed") return 100;
  return shape === "framed-10" ? 10 : 1;
}

/** One syslog message as a sender writes it: RFC 3164 (BSD, as local loggers) or RFC 5424. */
export function syslogLine(rfc: "3164" | "5424", id: number): string {
  const pri = 8 + ((id * 5) % 8); // facility user, every severity
  if (rfc === "5424") {
    const time = new Date(EPOCH_MS + id * 137).toISOString();
    return `<${pri}>1 ${time} web-${id % 4} checkout ${1000 + (id % 50)} - - ${textLine(id)}`;
  }
  return `<${pri}>Jan 15 08:00:${String(id % 60).padStart(2, "0")} web-${id % 4} checkout[${1000 + (id % 50)}]: ${textLine(id)}`;
}

/** 16 prebuilt datagrams of a shape (a framed one with seq 0). */
export function datagramsOf(shape: DatagramShape): Buffer[] {
  const ids = Array.from({ length: 16 }, (_, i) => i);
  switch (shape) {
    case "framed":
    case "framed-10":
      return datagramTemplates("text", 16, entriesPerDatagramOf(shape)).map((bytes) =>
        Buffer.from(bytes),
      );
    case "syslog-3164":
      return ids.map((id) => Buffer.from(syslogLine("3164", id)));
    case "syslog-5424":
      return ids.map((id) => Buffer.from(syslogLine("5424", id)));
    case "json":
      return ids.map((id) => Buffer.from(jsonLine(id)));
  }
}
