/**
 * What one batch becomes on JetStream: a list of publishes, each a subject,
 * a payload and a message id of PROTOCOL.md section 7, which stores the
 * entries of one message together under its id, or one by one under
 * `<message id>-<i>`.
 *
 * - `entry`: one JetStream message per entry, id `<message id>-<i>`.
 * - `batch`: one message per protocol message, its entries as NDJSON, id
 *   `<message id>`; a message whose entries go to several subjects, or
 *   whose NDJSON passes what one NATS message holds, is stored one by one
 *   as in `entry`. Entries of two messages never share an id.
 *
 * What a NATS message holds is the server's max_payload, headers and
 * payload together; the only header is the id's (NATS_HEADER_BYTES).
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

/**
 * Bytes of the headers of a publish with the id `id` (ASCII), as the NATS
 * client writes them: `NATS/1.0`, `Nats-Msg-Id: <id>`, each line ended by
 * CR LF, and an empty line.
 */
export function natsHeaderBytes(id: string): number {
  return "NATS/1.0\r\nNats-Msg-Id: \r\n\r\n".length + id.length;
}

export function planPublishes(
  messages: readonly OutputMessage[],
  subjects: SubjectTemplate,
  mode: NatsMode,
  maxPayloadBytes: number,
): Publish[] {
  const out: Publish[] = [];
  for (const message of messages) {
    // Each entry's subject, read once for both ways of storing the message.
    const entrySubjects = subjects.fixed
      ? new Array<string>(message.entries.length).fill(subjects.render({}))
      : message.entries.map((entry) => subjectOf(subjects, entry));
    if (mode === "batch") {
      const together = wholeMessage(message, entrySubjects, maxPayloadBytes);
      if (together !== undefined) {
        out.push(together);
        continue;
      }
    }
    message.entries.forEach((entry, i) => {
      const payload = Buffer.from(entry);
      const id = `${message.id}-${i}`;
      const room = maxPayloadBytes - natsHeaderBytes(id);
      if (payload.length > room) throw tooLarge(message.id, payload.length, room);
      out.push({ subject: entrySubjects[i] as string, payload, id });
    });
  }
  return out;
}

/**
 * The message as one publish of its entries' NDJSON under its id; undefined
 * when its entries go to several subjects (`entrySubjects`, one per entry)
 * or the NDJSON does not fit.
 */
function wholeMessage(
  message: OutputMessage,
  entrySubjects: readonly string[],
  maxPayloadBytes: number,
): Publish | undefined {
  const subject = entrySubjects[0];
  if (subject === undefined || entrySubjects.some((other) => other !== subject)) return undefined;
  const entries = message.entries;
  const payload = Buffer.from(`${entries.join("\n")}\n`);
  if (payload.length > maxPayloadBytes - natsHeaderBytes(message.id)) return undefined;
  return { subject, payload, id: message.id };
}

/** The subject of an entry under a template with fields (not `fixed`). */
function subjectOf(subjects: SubjectTemplate, entry: string): string {
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

function tooLarge(id: string, bytes: number, limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `an entry of message ${id} takes ${bytes} bytes, more than the ${limit} a NATS message holds here`,
  );
}
