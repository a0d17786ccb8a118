/**
 * Refusals: the target host reporting (by ICMP port, host or network
 * unreachable) that it bounced a datagram the socket had already accepted.
 * The report refers to an earlier datagram and does not say which one, so a
 * refusal is counted as a datagram, never as entries, and is never retried:
 * the datagram it refers to is already gone. RefusalWatch decides when a
 * refusal is news worth one line to the user.
 */

/** The errno codes of the reports; the same strings in the summary, metrics and docs. */
export type RefusalCode = "ECONNREFUSED" | "EHOSTUNREACH" | "ENETUNREACH";

/** Every refusal code, for reports that list zeros too (metrics). */
export const REFUSAL_CODES: readonly RefusalCode[] = Object.freeze([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** The code as a RefusalCode, or undefined when it is not one. */
export function refusalCode(code: string | undefined): RefusalCode | undefined {
  return REFUSAL_CODES.find((known) => known === code);
}

/** What the shipper tells its listeners when the target starts refusing. */
export interface RefusalNotice {
  readonly code: RefusalCode;
  /** The address the refused datagrams went to (the target host, resolved). */
  readonly address: string;
  readonly port: number;
}

/** Default time datagrams must keep going out unrefused before a new refusal is news again. */
export const REFUSAL_QUIET_MS = 10_000;

/**
 * Tells when refusals start: the first refusal is news; later ones are not,
 * until datagrams have kept going out for quietMs with no refusal in between
 * (the target came back). A steady stream of refusals, however slow, is one
 * piece of news.
 */
export class RefusalWatch {
  readonly #quietMs: number;
  #refusing = false;
  /** When the first datagram accepted since the last refusal went out. */
  #acceptedSince: number | undefined;
  readonly #listeners = new Set<(notice: RefusalNotice) => void>();

  constructor(quietMs: number = REFUSAL_QUIET_MS) {
    this.#quietMs = quietMs;
  }

  /** True from a refusal that was news until the target has been quiet for quietMs. */
  get refusing(): boolean {
    return this.#refusing;
  }

  /** Calls `listener` with every refusal that is news; returns the function that stops it. */
  listen(listener: (notice: RefusalNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A refusal was reported; true when it is news, and the listeners are told of `notice`. */
  refused(notice?: RefusalNotice): boolean {
    this.#acceptedSince = undefined;
    if (this.#refusing) return false;
    this.#refusing = true;
    if (notice !== undefined) for (const listener of this.#listeners) listener(notice);
    return true;
  }

  /** The socket accepted a datagram at `now`. */
  accepted(now: number): void {
    if (!this.#refusing) return;
    if (this.#acceptedSince === undefined) this.#acceptedSince = now;
    else if (now - this.#acceptedSince >= this.#quietMs) {
      this.#refusing = false;
      this.#acceptedSince = undefined;
    }
  }
}
