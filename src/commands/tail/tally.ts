/**
 * What `shipper-tail` counts of a stream: its JetStream messages, the
 * entries in them (one JSON line each: a message of the `batch` mode holds
 * several, of the `entry` mode one), the entries per service, and the
 * messages whose Nats-Msg-Id was seen before (stored twice). Pure: it is
 * handed each message's id and text.
 */

export interface StoredMessage {
  /** Its Nats-Msg-Id header; undefined when it has none. */
  readonly id: string | undefined;
  /** The message's text: one JSON entry, or NDJSON lines each ended by a line feed. */
  readonly data: string;
}

export interface TailTotals {
  readonly stream: string;
  /** JetStream messages read. */
  readonly messages: number;
  /** Entries in them, those of duplicate messages included. */
  readonly entries: number;
  /** Messages whose Nats-Msg-Id an earlier message had. */
  readonly duplicates: number;
  /** Entries in those messages. */
  readonly duplicate_entries: number;
  /** Messages without a Nats-Msg-Id. */
  readonly without_id: number;
  /** Lines that are not a JSON object; counted in `entries` too. */
  readonly unparsed: number;
  /** Entries per value of their `service` field (`unknown` when it is missing or not a string). */
  readonly services: Readonly<Record<string, number>>;
}

/** The entry lines of a message's text, empty lines left out. */
export function entryLines(data: string): string[] {
  return data.split("\n").filter((line) => line !== "");
}

function serviceOf(line: string): string | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return undefined;
    const service = (entry as { service?: unknown }).service;
    return typeof service === "string" && service !== "" ? service : "unknown";
  } catch {
    return undefined;
  }
}

export class StreamTally {
  readonly #stream: string;
  readonly #ids = new Set<string>();
  readonly #services = new Map<string, number>();
  #messages = 0;
  #entries = 0;
  #duplicates = 0;
  #duplicateEntries = 0;
  #withoutId = 0;
  #unparsed = 0;

  constructor(stream: string) {
    this.#stream = stream;
  }

  /** Counts one message; returns its entry lines. */
  add(message: StoredMessage): string[] {
    const lines = entryLines(message.data);
    this.#messages++;
    this.#entries += lines.length;
    if (message.id === undefined) this.#withoutId++;
    else if (this.#ids.has(message.id)) {
      this.#duplicates++;
      this.#duplicateEntries += lines.length;
    } else this.#ids.add(message.id);
    for (const line of lines) {
      const service = serviceOf(line);
      if (service === undefined) this.#unparsed++;
      else this.#services.set(service, (this.#services.get(service) ?? 0) + 1);
    }
    return lines;
  }

  totals(): TailTotals {
    const services = [...this.#services].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      stream: this.#stream,
      messages: this.#messages,
      entries: this.#entries,
      duplicates: this.#duplicates,
      duplicate_entries: this.#duplicateEntries,
      without_id: this.#withoutId,
      unparsed: this.#unparsed,
      services: Object.fromEntries(services),
    };
  }
}
