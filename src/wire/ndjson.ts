/**
 * NDJSON payloads (PROTOCOL.md section 3): several entry objects, each on
 * its own line, as pino-socket and `nc -u < app.ndjson` send them. Read
 * line by line: a blank line is skipped, a line that is not one JSON
 * object within the limits is counted as an invalid entry on its own, and
 * every other line is an entry. A text with no line that is an object is
 * not NDJSON: the caller rejects it whole.
 */
import { type JsonLimits, type ScanReason, scanJson, skipSpace } from "./json-scan.js";
import type { Result } from "./types.js";

const OPEN_BRACE = 0x7b;
const NEWLINE = 0x0a;

/** What a payload holds: accepted entries (one line of compact JSON each) and the rest. */
export interface LinesPayload {
  readonly entries: string[];
  readonly invalidEntries: number;
}

/** `text[start, end)` without the JSON white space at its ends. */
function trimmed(text: string, start: number, end: number): [number, number] {
  const from = skipSpace(text, start);
  let to = end;
  while (to > from && /[ \t\r\n]/.test(text[to - 1] ?? "")) to--;
  return [from, to];
}

/**
 * The entries of an NDJSON text, each compacted by `compact`; undefined
 * when no line is a JSON object (not NDJSON). More non-blank lines than
 * `maxEntries` refuse the whole payload as `too-many-entries`.
 */
export function splitLines(
  text: string,
  limits: JsonLimits,
  compact: (text: string, start: number, end: number) => string,
): Result<LinesPayload, ScanReason> | undefined {
  const entries: string[] = [];
  let invalidEntries = 0;
  let lines = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const [from, to] = trimmed(text, start, end);
    start = end + 1;
    if (from >= to) continue;
    if (++lines > limits.maxEntries) return { ok: false, reason: "too-many-entries" };
    const line = text.slice(from, to);
    if (line.charCodeAt(0) === OPEN_BRACE && scanJson(line, limits) === undefined) {
      entries.push(compact(line, 0, line.length));
    } else invalidEntries++;
  }
  return entries.length === 0 ? undefined : { ok: true, value: { entries, invalidEntries } };
}

/** True when `text` holds a line break between two non-blank parts. */
export function hasLineBreak(text: string): boolean {
  const at = text.indexOf(String.fromCharCode(NEWLINE), skipSpace(text, 0));
  return at >= 0 && skipSpace(text, at) < text.length;
}
