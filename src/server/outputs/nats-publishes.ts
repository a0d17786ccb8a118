/**
 * What one batch becomes on JetStream: a list of publishes, each a subject,
 * a payload and a message id (PROTOCOL.md section 7).
 *
 * - `entry`: one JetStream message per entry, id `<message id>-<i>`.
 * - `batch`: one message per protocol message and subject, its entries as
 *   NDJSON, id `<message id>`; when the entries of one message go to
 *   several subjects, each part's id is `<message id>@<subject>`. A part
 *   larger than the server's max_payload is cut between entries into
 *   pieces `<id>#0`, `<id>#1`, ... Entries of two messages never share an id.
 */
import type { SubjectTemplate } from "./nats-subject.js";
import type { NatsMode } from "./sink-options.js";
import type { OutputMessage } from "./types.js";

export interface Publish {
  readonly subject: string;
  readonly payload: Uint8Array;
  readonly id: string;
}

/** An entry that is larger than the server takes in one message: the batch can never be published. */
export class PayloadTooLargeError extends Error {
  override readonly name = "PayloadTooLargeError";
}

/** Room kept beside the payload for the headers of a publish. */
export const HEADER_ROOM_BYTES = 1024;

export function planPublishes(
  messages: readonly OutputMessage[],
  subjects: SubjectTemplate,
  mode: NatsMode,
  maxPayloadBytes: number,
): Publish[] {
  const limit = maxPayloadBytes - HEADER_ROOM_BYTES;
  const out: Publish[] = [];
  for (const message of messages) {
    if (mode === "entry") {
      message.entries.forEach((entry, i) => {
        const payload = Buffer.from(entry);
        if (payload.length > limit) throw tooLarge(message.id, payload.length, limit);
        out.push({ subject: subjectOf(subjects, entry), payload, id: `${message.id}-${i}` });
      });
      continue;
    }
    const groups = groupBySubject(message, subjects);
    for (const [subject, entries] of groups) {
      const id = groups.size === 1 ? message.id : `${message.id}@${subject}`;
      out.push(...pieces(subject, id, entries, limit));
    }
  }
  return out;
}

function subjectOf(subjects: SubjectTemplate, entry: string): string {
  if (subjects.fixed) return subjects.render({});
  let fields: unknown;
  try {
    fields = JSON.parse(entry);
  } catch {
    fields = undefined;
  }
  const record =
    typeof fields === "object" && fields !== null && !Array.isArray(fields) ? fields : {};
  return subjects.render(record as Record<string, unknown>);
}

/** The entries of one message by subject, subjects in the order they first appear. */
function groupBySubject(message: OutputMessage, subjects: SubjectTemplate): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const entry of message.entries) {
    const subject = subjectOf(subjects, entry);
    const group = groups.get(subject);
    if (group === undefined) groups.set(subject, [entry]);
    else group.push(entry);
  }
  return groups;
}

/** The NDJSON of `entries` as one publish, or as pieces `<id>#k` when it passes `limit`. */
function pieces(subject: string, id: string, entries: readonly string[], limit: number): Publish[] {
  const whole = Buffer.from(`${entries.join("\n")}\n`);
  if (whole.length <= limit) return [{ subject, payload: whole, id }];
  const out: Publish[] = [];
  let lines: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    out.push({ subject, payload: Buffer.concat(lines), id: `${id}#${out.length}` });
    lines = [];
    bytes = 0;
  };
  for (const entry of entries) {
    const line = Buffer.from(`${entry}\n`);
    if (line.length > limit) throw tooLarge(id, line.length, limit);
    if (bytes + line.length > limit) flush();
    lines.push(line);
    bytes += line.length;
  }
  if (lines.length > 0) flush();
  return out;
}

function tooLarge(id: string, bytes: number, limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `an entry of message ${id} takes ${bytes} bytes, more than the ${limit} a NATS message holds here`,
  );
}
