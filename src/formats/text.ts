import { utf8Text } from "../wire/payload.js";

/** The last time isoTime formatted, and its text: datagrams come many to a millisecond. */
let lastMs = Number.NaN;
let lastText = "";

/** A receive time in milliseconds as RFC 3339 UTC with milliseconds. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastText = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastText;
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
