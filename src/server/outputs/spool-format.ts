/**
 * One spooled batch as a file: a header line, then each message as a line
 * `<id> <entry count>` followed by its entries, one per line, exactly as
 * received (so a replay sends the same bytes under the same ids):
 *
 *   shipper-spool 1 <messages> <entries> <bytes> <crc32 of the rest, 8 hex>
 *   <id> <n>
 *   <entry 1>
 *   ...
 *
 * A file whose header, counts or checksum do not hold is corrupt.
 */
import { crc32 } from "node:zlib";
import type { OutputBatch, OutputMessage } from "./types.js";

const MAGIC = "shipper-spool";
const VERSION = "1";
const NEWLINE = 0x0a;

/** What the header says, read without the body. */
export interface SpoolHeader {
  readonly messages: number;
  readonly entries: number;
  readonly bytes: number;
  readonly crc: number;
}

/** The file's bytes for `batch`. */
export function encodeBatch(batch: OutputBatch): Buffer {
  const lines: string[] = [];
  for (const message of batch.messages) {
    lines.push(`${message.id} ${message.entries.length}`);
    for (const entry of message.entries) lines.push(entry);
  }
  lines.push("");
  const body = Buffer.from(lines.join("\n"), "utf8");
  const header = `${MAGIC} ${VERSION} ${batch.messages.length} ${batch.entries} ${batch.bytes} ${crc32(body).toString(16).padStart(8, "0")}\n`;
  return Buffer.concat([Buffer.from(header, "latin1"), body]);
}

function count(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The header of a spool file's first line; undefined when it is not one. */
export function parseHeader(line: string): SpoolHeader | undefined {
  const parts = line.split(" ");
  if (parts.length !== 6 || parts[0] !== MAGIC || parts[1] !== VERSION) return undefined;
  const messages = count(parts[2]);
  const entries = count(parts[3]);
  const bytes = count(parts[4]);
  const crcText = parts[5] ?? "";
  if (messages === undefined || entries === undefined || bytes === undefined) return undefined;
  if (!/^[0-9a-f]{8}$/.test(crcText)) return undefined;
  return { messages, entries, bytes, crc: Number.parseInt(crcText, 16) };
}

/** The header of a file's bytes (only its first line is read); undefined when there is none. */
export function readHeader(bytes: Uint8Array): SpoolHeader | undefined {
  const end = bytes.indexOf(NEWLINE);
  if (end < 0 || end > 200) return undefined;
  return parseHeader(Buffer.from(bytes.buffer, bytes.byteOffset, end).toString("latin1"));
}

/** The batch a spool file holds; undefined when the file is corrupt. */
export function decodeBatch(file: Buffer): OutputBatch | undefined {
  const header = readHeader(file);
  if (header === undefined) return undefined;
  const body = file.subarray(file.indexOf(NEWLINE) + 1);
  if (crc32(body) !== header.crc) return undefined;
  const lines = body.toString("utf8").split("\n");
  if (lines.pop() !== "") return undefined;
  const messages: OutputMessage[] = [];
  let at = 0;
  let entries = 0;
  let bytes = 0;
  while (at < lines.length) {
    const [id, n] = (lines[at] ?? "").split(" ");
    const size = count(n);
    if (id === undefined || id === "" || size === undefined || at + 1 + size > lines.length) {
      return undefined;
    }
    const list = lines.slice(at + 1, at + 1 + size);
    for (const entry of list) bytes += Buffer.byteLength(entry);
    messages.push({ id, entries: list });
    entries += size;
    at += 1 + size;
  }
  if (messages.length !== header.messages || entries !== header.entries) return undefined;
  if (bytes !== header.bytes) return undefined;
  return Object.freeze({ messages, entries, bytes: header.bytes });
}
