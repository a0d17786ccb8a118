/**
 * The human output format: one line per entry,
 * `HH:MM:SS.mmm LEVEL    service message key=value ...`, coloured only when
 * asked. Entries come from the network, so control characters (which could
 * drive the terminal) are shown escaped, never written raw.
 */

export interface PrettyOptions {
  /** ANSI colours. */
  readonly color: boolean;
  /** Show times in UTC instead of the local zone. */
  readonly utc?: boolean;
}

const RESET = "\u001b[0m";
const DIM = "\u001b[2m";
const CYAN = "\u001b[36m";
const LEVEL_COLORS: Readonly<Record<string, string>> = {
  TRACE: "\u001b[90m",
  DEBUG: "\u001b[90m",
  INFO: "\u001b[32m",
  NOTICE: "\u001b[32m",
  WARN: "\u001b[33m",
  WARNING: "\u001b[33m",
  ERROR: "\u001b[31m",
  CRITICAL: "\u001b[1;31m",
  FATAL: "\u001b[1;31m",
};

/** Fields shown in their own columns; every other field is shown as key=value. */
const COLUMNS = new Set(["timestamp", "level", "service", "message"]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Escapes control characters (newlines, ESC, C1) so a line stays one line and inert. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

function pad(value: number, width: number): string {
  return value.toString().padStart(width, "0");
}

function parseTime(timestamp: unknown): number {
  return typeof timestamp === "string" ? Date.parse(timestamp) : Number.NaN;
}

/** `HH:MM:SS.mmm` of an RFC 3339 timestamp, or of `fallbackMs` when it has none that parses. */
export function clockTime(timestamp: unknown, fallbackMs: number, utc: boolean): string {
  const parsed = parseTime(timestamp);
  const date = new Date(Number.isNaN(parsed) ? fallbackMs : parsed);
  const h = utc ? date.getUTCHours() : date.getHours();
  const m = utc ? date.getUTCMinutes() : date.getMinutes();
  const s = utc ? date.getUTCSeconds() : date.getSeconds();
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "-";
  return JSON.stringify(value) ?? String(value);
}

/** A value for `key=value`: bare when it is a plain word, JSON otherwise. */
function fieldValue(value: unknown): string {
  if (typeof value === "string" && /^[^\s"=\\]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

/** Every field not shown in a column; a timestamp that does not parse stays visible here. */
function fields(entry: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === "timestamp" && value !== undefined && Number.isNaN(parseTime(value))) {
      out.push([key, value]);
      continue;
    }
    if (COLUMNS.has(key)) continue;
    if (
      key === "metadata" &&
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value)
    ) {
      out.push(...Object.entries(value as Record<string, unknown>));
    } else {
      out.push([key, value]);
    }
  }
  return out;
}

function parseEntry(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: shown as the message below.
  }
  return undefined;
}

/** Formats one entry (compact JSON text) as one human line, received at `receivedAtMs`. */
export function formatPretty(json: string, receivedAtMs: number, options: PrettyOptions): string {
  const entry = parseEntry(json) ?? { message: json };
  const paint = (code: string, value: string) =>
    options.color ? `${code}${value}${RESET}` : value;
  const time = clockTime(entry.timestamp, receivedAtMs, options.utc ?? false);
  const levelText = escapeControl(text(entry.level));
  const levelColor = LEVEL_COLORS[levelText.toUpperCase()];
  const level = levelText.padEnd(8);
  const parts = [
    paint(DIM, time),
    levelColor === undefined ? level : paint(levelColor, level),
    paint(CYAN, escapeControl(text(entry.service))),
    escapeControl(text(entry.message)),
  ];
  for (const [key, value] of fields(entry)) {
    parts.push(`${paint(DIM, `${escapeControl(key)}=`)}${escapeControl(fieldValue(value))}`);
  }
  return parts.join(" ");
}
