import { isAscii } from "node:buffer";
import {
  DEFAULT_JSON_LIMITS,
  isSpace,
  type JsonLimits,
  type ScanReason,
  scanJson,
  skipSpace,
} from "./json-scan.js";
import { hasLineBreak, splitLines } from "./ndjson.js";

export { isSpace } from "./json-scan.js";

import type { Result } from "./types.js";

/** What a payload holds: accepted entries (one line of compact JSON each) and the rest. */
export interface ParsedPayload {
  readonly entries: string[];
  /** Elements of the array that were not objects. */
  readonly invalidEntries: number;
}

const BOM = 0xfeff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** UTF-8 to a string: invalid sequences become U+FFFD, one leading BOM is dropped. */
export function utf8Text(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ASCII, the common case, is its own Latin-1: a plain copy instead of a UTF-8 decoding.
  if (isAscii(buffer)) return buffer.toString("latin1");
  const text = buffer.toString("utf8");
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** Index of the quote that closes the string opened at `open`. Text is valid JSON. */
export function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}

/** `text[start, end)` without white space outside strings. */
export function compactJson(text: string, start: number, end: number): string {
  let out = "";
  let runStart = start;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = stringEnd(text, i) + 1;
    } else if (isSpace(code)) {
      out += text.slice(runStart, i);
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      runStart = i;
    } else {
      i++;
    }
  }
  return runStart === start ? text.slice(start, end) : out + text.slice(runStart, end);
}

/**
 * Scans the outer array of `text` and splits its elements in the same pass:
 * each object element is an entry (compacted only when it has white space
 * inside), any other element an invalid entry.
 */
function scanArray(text: string, limits: JsonLimits): Result<ParsedPayload, ScanReason> {
  const entries: string[] = [];
  let invalidEntries = 0;
  const refused = scanJson(text, limits, (start, end, spaced) => {
    if (text.charCodeAt(start) !== OPEN_BRACE) invalidEntries++;
    else entries.push(spaced ? compactJson(text, start, end) : text.slice(start, end));
  });
  if (refused !== undefined) return { ok: false, reason: refused };
  return { ok: true, value: { entries, invalidEntries } };
}

/**
 * Reads a payload: UTF-8 (invalid sequences become U+FFFD, one leading BOM is
 * dropped) holding a JSON array of entries, one entry object, or entry
 * objects one per line (NDJSON, ndjson.ts: a line that is not an object is
 * counted in `invalidEntries`, the others kept). Each object
 * element comes back as its original text on one line: fields in the order
 * received, duplicate keys and numbers as written, white space outside strings
 * removed. Other elements are counted in `invalidEntries`. Anything that is not
 * valid JSON, or not an array or object, is `invalid-json`; a payload past one
 * of `limits` is refused whole under that limit's reason (`too-deep`,
 * `too-many-entries`, `too-many-fields`), found by the one linear scan that
 * also splits an array. Never throws.
 */
export function parsePayload(
  bytes: Uint8Array,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Result<ParsedPayload, ScanReason> {
  return parsePayloadText(utf8Text(bytes), (text) => scanJson(text, limits), limits);
}

/**
 * `parsePayload` for text already decoded: `scan` gives `scanJson`'s answer
 * for it (the caller's, when it scanned the text already), asked only when
 * the text opens with `{`; an array is scanned here, under `limits`, and
 * split in the same pass. `limits` bound each line of NDJSON too.
 */
export function parsePayloadText(
  text: string,
  scan: (text: string) => ScanReason | undefined,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Result<ParsedPayload, ScanReason> {
  const first = skipSpace(text, 0);
  const code = text.charCodeAt(first);
  if (code === OPEN_BRACKET) return scanArray(text, limits);
  if (code !== OPEN_BRACE) return { ok: false, reason: "invalid-json" };
  const refused = scan(text);
  if (refused === "invalid-json" && hasLineBreak(text)) {
    return splitLines(text, limits, compactJson) ?? { ok: false, reason: refused };
  }
  if (refused !== undefined) return { ok: false, reason: refused };
  let end = text.length;
  while (isSpace(text.charCodeAt(end - 1))) end--;
  return { ok: true, value: { entries: [compactJson(text, first, end)], invalidEntries: 0 } };
}
