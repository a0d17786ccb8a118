import { isAscii } from "node:buffer";

const BOM = 0xfeff;

/** UTF-8 to a string: invalid sequences become U+FFFD, one leading BOM is dropped. */
export function utf8Text(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ASCII, the common case, is its own Latin-1: a plain copy instead of a UTF-8 decoding.
  if (isAscii(buffer)) return buffer.toString("latin1");
  const text = buffer.toString("utf8");
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** A receive time in milliseconds as RFC 3339 UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Plain text lines to entries: the datagram is decoded as UTF-8 (invalid
 * sequences replaced by U+FFFD, a leading BOM dropped), split on LF and CRLF,
 * and every line that is not empty or white space only becomes
 * `{"timestamp":<receive time>,"message":<line>}`, in order.
 */
export function textEntries(bytes: Uint8Array, receivedAtMs: number): string[] {
  const timestamp = isoTime(receivedAtMs);
  const entries: string[] = [];
  for (const line of utf8Text(bytes).split(/\r?\n/)) {
    if (line.trim() === "") continue;
    entries.push(JSON.stringify({ timestamp, message: line }));
  }
  return entries;
}
