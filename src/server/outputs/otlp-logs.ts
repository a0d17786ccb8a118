/**
 * A batch as one OTLP/HTTP JSON logs request (ExportLogsServiceRequest):
 * one ResourceLogs per (service, host) pair, one LogRecord per entry.
 */
import {
  type AnyValue,
  addFlattened,
  anyValue,
  type KeyValue,
  msToNanos,
  severityNumber,
  unixNanos,
} from "./otlp-values.js";
import type { OutputMessage } from "./types.js";

/** The instrumentation scope every record is under. */
export const OTLP_SCOPE_NAME = "shipper-server";
/** The attribute holding an entry's id (PROTOCOL.md section 7, `<message id>-<i>`). */
export const OTLP_UID_ATTRIBUTE = "log.record.uid";

/** Top-level fields that have a place of their own in a LogRecord or its resource. */
const PLACED = new Set(["timestamp", "level", "message", "service", "host", "metadata"]);

interface LogRecord {
  readonly timeUnixNano?: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber?: number;
  readonly severityText?: string;
  readonly body?: AnyValue;
  readonly attributes: KeyValue[];
}

interface ResourceGroup {
  readonly service: string | undefined;
  readonly host: string | undefined;
  readonly records: LogRecord[];
}

/** The request body; `observedMs` is the time the server hands the batch on. */
export function encodeOtlpLogs(messages: readonly OutputMessage[], observedMs: number): string {
  const observed = msToNanos(observedMs);
  const groups = new Map<string, ResourceGroup>();
  for (const message of messages) {
    message.entries.forEach((entry, i) => {
      const fields = parseEntry(entry);
      const service = stringField(fields.service);
      const host = stringField(fields.host);
      const key = JSON.stringify([service ?? null, host ?? null]);
      let group = groups.get(key);
      if (group === undefined) {
        group = { service, host, records: [] };
        groups.set(key, group);
      }
      group.records.push(logRecord(fields, `${message.id}-${i}`, observed));
    });
  }
  const resourceLogs = [...groups.values()].map((group) => ({
    resource: { attributes: resourceAttributes(group) },
    scopeLogs: [{ scope: { name: OTLP_SCOPE_NAME }, logRecords: group.records }],
  }));
  return JSON.stringify({ resourceLogs });
}

function parseEntry(entry: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(entry);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not an object: the whole line is the message.
  }
  return { message: entry };
}

function stringField(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function resourceAttributes(group: ResourceGroup): KeyValue[] {
  const attributes: KeyValue[] = [];
  if (group.service !== undefined) {
    attributes.push({ key: "service.name", value: { stringValue: group.service } });
  }
  if (group.host !== undefined) {
    attributes.push({ key: "host.name", value: { stringValue: group.host } });
  }
  return attributes;
}

function logRecord(fields: Record<string, unknown>, uid: string, observed: string): LogRecord {
  const time = unixNanos(fields.timestamp);
  const severity = severityNumber(fields.level);
  const body = anyValue(fields.message);
  return {
    ...(time === undefined ? {} : { timeUnixNano: time }),
    observedTimeUnixNano: observed,
    ...(severity > 0 ? { severityNumber: severity } : {}),
    ...(typeof fields.level === "string" ? { severityText: fields.level } : {}),
    ...(body === undefined ? {} : { body }),
    attributes: recordAttributes(fields, uid, time === undefined),
  };
}

/**
 * The entry's id, then the other top-level fields, then metadata's, each
 * flattened with dots; a timestamp that could not be read stays as one.
 */
function recordAttributes(
  fields: Record<string, unknown>,
  uid: string,
  keepTimestamp: boolean,
): KeyValue[] {
  const out = new Map<string, AnyValue>([[OTLP_UID_ATTRIBUTE, { stringValue: uid }]]);
  for (const [key, value] of Object.entries(fields)) {
    if (PLACED.has(key) && !(key === "timestamp" && keepTimestamp)) continue;
    addFlattened(out, key, value);
  }
  const metadata = fields.metadata;
  if (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata)) {
    for (const [key, value] of Object.entries(metadata)) addFlattened(out, key, value);
  } else if (metadata !== undefined) {
    addFlattened(out, "metadata", metadata);
  }
  return [...out].map(([key, value]) => ({ key, value }));
}
