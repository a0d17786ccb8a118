/**
 * The pieces of the OTLP/JSON log encoding (OTLP 1.x, protobuf JSON mapping):
 * AnyValue, attributes, severity and timestamps. 64-bit integers are decimal
 * strings, as the JSON mapping of protobuf wants them.
 */

export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: AnyValue[] } }
  | { readonly kvlistValue: { readonly values: KeyValue[] } };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

/** A JSON value as OTLP's AnyValue; null and undefined have none. */
export function anyValue(value: unknown): AnyValue | undefined {
  switch (typeof value) {
    case "string":
      return { stringValue: value };
    case "boolean":
      return { boolValue: value };
    case "number":
      return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        const values = value.map((item) => anyValue(item) ?? {});
        return { arrayValue: { values: values as AnyValue[] } };
      }
      const values: KeyValue[] = [];
      for (const [key, item] of Object.entries(value)) {
        const converted = anyValue(item);
        if (converted !== undefined) values.push({ key, value: converted });
      }
      return { kvlistValue: { values } };
    }
    default:
      return undefined;
  }
}

/**
 * Adds `value` to `out` under `key`; a plain object is flattened, its keys
 * joined with dots (`{"http":{"status":200}}` -> `http.status`). A key
 * already present keeps its first value.
 */
export function addFlattened(out: Map<string, AnyValue>, key: string, value: unknown): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [inner, item] of Object.entries(value)) addFlattened(out, `${key}.${inner}`, item);
    return;
  }
  if (out.has(key)) return;
  const converted = anyValue(value);
  if (converted !== undefined) out.set(key, converted);
}

/** OpenTelemetry's severity numbers for the level names the shipper and its senders use. */
const SEVERITY_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["TRACE", 1],
  ["DEBUG", 5],
  ["INFO", 9],
  ["NOTICE", 10],
  ["WARN", 13],
  ["WARNING", 13],
  ["ERR", 17],
  ["ERROR", 17],
  ["CRIT", 21],
  ["CRITICAL", 21],
  ["ALERT", 21],
  ["FATAL", 21],
  ["EMERG", 21],
  ["EMERGENCY", 21],
]);

/** The severity number of a level name (any case); 0 (unspecified) for anything else. */
export function severityNumber(level: unknown): number {
  if (typeof level !== "string") return 0;
  return SEVERITY_NUMBERS.get(level.toUpperCase()) ?? 0;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Nanoseconds since the epoch, as a decimal string, of an RFC 3339
 * timestamp (up to 9 fraction digits kept) or a number of seconds (as GELF
 * writes them); undefined when it is neither.
 */
export function unixNanos(timestamp: unknown): string | undefined {
  if (typeof timestamp === "number") {
    if (!Number.isFinite(timestamp) || timestamp < 0) return undefined;
    return (BigInt(Math.round(timestamp * 1e6)) * 1000n).toString();
  }
  if (typeof timestamp !== "string") return undefined;
  const match = RFC3339.exec(timestamp);
  if (match === null) return undefined;
  const [, seconds = "", fraction = "", zone = ""] = match;
  const ms = Date.parse(`${seconds.replace(" ", "T")}${zone.toUpperCase()}`);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const nanos = BigInt(fraction.padEnd(9, "0"));
  return (BigInt(ms) * 1_000_000n + nanos).toString();
}

/** Milliseconds since the epoch as OTLP nanoseconds. */
export function msToNanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}
