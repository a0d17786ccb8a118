/** The body of one POST, in each `--http-format`. */
import { encodeOtlpLogs } from "./otlp-logs.js";
import type { HttpFormat } from "./sink-options.js";
import type { OutputBatch } from "./types.js";

export interface HttpBody {
  readonly contentType: string;
  readonly body: Buffer;
}

export const CONTENT_TYPES: Readonly<Record<HttpFormat, string>> = {
  "json-array": "application/json",
  ndjson: "application/x-ndjson",
  otlp: "application/json",
};

/**
 * `json-array`: `[entry,entry,...]`; `ndjson`: each entry and a line feed;
 * `otlp`: an OTLP/HTTP JSON logs request. The entries are compact JSON
 * already: the first two only join them.
 */
export function encodeHttpBody(
  format: HttpFormat,
  batch: OutputBatch,
  observedMs: number,
): HttpBody {
  const contentType = CONTENT_TYPES[format];
  if (format === "otlp") {
    return { contentType, body: Buffer.from(encodeOtlpLogs(batch.messages, observedMs)) };
  }
  const entries = batch.messages.flatMap((message) => message.entries);
  const text = format === "ndjson" ? `${entries.join("\n")}\n` : `[${entries.join(",")}]`;
  return { contentType, body: Buffer.from(text) };
}
