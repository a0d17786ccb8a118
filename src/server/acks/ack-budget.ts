/**
 * The amplification bound: acknowledgements sent to a source (address and
 * port) never add up to more than AMPLIFICATION_FACTOR times the bytes of
 * the datagrams that asked for them from it. Each such datagram credits
 * its source with that many times its size; each acknowledgement sent
 * spends its size; one that the credit cannot pay for is not sent.
 * Sources are forgotten after `idleMs` without a datagram, and past
 * `maxSources` the least recently heard goes first (its credit is lost,
 * which only ever sends less).
 */
import type { Clock } from "../../foundation/time.js";

/**
 * Bytes a source may be sent per byte it sent: the factor QUIC allows
 * toward an address it has not validated (RFC 9000, section 8.1). With
 * it, the smallest message that can ask (a 15-byte header and no payload;
 * 31 bytes signed) pays for an acknowledgement of one range (21 bytes; 37
 * signed) the first time it arrives.
 */
export const AMPLIFICATION_FACTOR = 3;

interface Credit {
  bytes: number;
  heardAt: number;
}

export class AckBudget {
  readonly #sources = new Map<string, Credit>();
  readonly #now: Clock;
  readonly #idleMs: number;
  readonly #maxSources: number;

  constructor(now: Clock, idleMs: number, maxSources: number) {
    this.#now = now;
    this.#idleMs = idleMs;
    this.#maxSources = maxSources;
  }

  /** Sources with a credit now. */
  get size(): number {
    return this.#sources.size;
  }

  /** A datagram of `bytes` that asks for acknowledgements came from `source`. */
  credit(source: string, bytes: number): void {
    const credit = this.#sources.get(source);
    if (credit !== undefined) this.#sources.delete(source);
    else if (this.#sources.size >= this.#maxSources) {
      const oldest = this.#sources.keys().next().value;
      if (oldest !== undefined) this.#sources.delete(oldest);
    }
    this.#sources.set(source, {
      bytes: (credit?.bytes ?? 0) + bytes * AMPLIFICATION_FACTOR,
      heardAt: this.#now(),
    });
  }

  /** Spends `bytes` of the source's credit; false (nothing spent) when it has less. */
  spend(source: string, bytes: number): boolean {
    const credit = this.#sources.get(source);
    if (credit === undefined || credit.bytes < bytes) return false;
    credit.bytes -= bytes;
    return true;
  }

  /** Forgets sources idle for idleMs. */
  sweep(): void {
    const now = this.#now();
    for (const [source, credit] of this.#sources) {
      if (now - credit.heardAt < this.#idleMs) break;
      this.#sources.delete(source);
    }
  }
}
