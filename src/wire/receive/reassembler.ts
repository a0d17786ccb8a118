import { InvalidOptionError } from "../../foundation/errors.js";
import type { Clock } from "../../foundation/time.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  FRAGMENT_TIMEOUT_MS,
  MAX_FRAGMENT_COUNT,
  MAX_FRAGMENT_HELD_BYTES,
  MIN_FRAGMENT_COUNT,
} from "../constants.js";
import {
  copyOf,
  FRAGMENT_BOOKKEEPING_BYTES,
  type HeldMessage,
  MESSAGE_BOOKKEEPING_BYTES,
} from "./held-fragments.js";

export { FRAGMENT_BOOKKEEPING_BYTES, MESSAGE_BOOKKEEPING_BYTES } from "./held-fragments.js";

export interface ReassemblerOptions {
  /** Monotonic milliseconds. */
  now: Clock;
  /** A message whose fragments are not all in this long after its first one is lost (default 5 s). */
  timeoutMs?: number;
  /**
   * Bytes charged across all messages: each fragment's payload and
   * FRAGMENT_BOOKKEEPING_BYTES, and MESSAGE_BOOKKEEPING_BYTES a message (default 16 MiB).
   */
  maxHeldBytes?: number;
  /** Largest reassembled payload; past it the message is `too-large` (default 4 MiB). */
  maxMessageBytes?: number;
}

export type FragmentResult =
  | { readonly status: "pending" }
  | { readonly status: "duplicate" }
  | { readonly status: "complete"; readonly payload: Uint8Array }
  | { readonly status: "rejected"; readonly reason: "bad-fragment" | "too-large" };

const PENDING: FragmentResult = { status: "pending" };
const DUPLICATE: FragmentResult = { status: "duplicate" };
const BAD_FRAGMENT: FragmentResult = { status: "rejected", reason: "bad-fragment" };
const TOO_LARGE: FragmentResult = { status: "rejected", reason: "too-large" };

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0)
    throw new InvalidOptionError(`${name} must be a positive number`);
  return v;
}

/**
 * Puts fragmented messages back together (PROTOCOL.md "Fragments"), in any
 * order, with memory bounded by `maxHeldBytes` whatever senders do: each
 * message and each fragment is charged an upper estimate of the memory it
 * takes, not only its payload (test/wire/receive/reassembler.test.ts measures
 * the heap; test/e2e/server-memory.test.ts the server's resident size).
 *
 * - A fragment whose flags or count differ from its message's first fragment
 *   is `bad-fragment`; the message keeps waiting for good fragments.
 * - A message is `too-large` as soon as its held bytes pass maxMessageBytes,
 *   or as soon as a fragment other than the last shows it must: fragments are
 *   cut in equal slices except the last, so (count - 1) x that size is a lower
 *   bound. Its bytes are freed at once; its later fragments are answered
 *   `too-large` too, until the timeout forgets it.
 * - Past maxHeldBytes, the oldest other messages are dropped and counted lost.
 * - Payloads are copied when held and concatenated once, at completion.
 */
export class Reassembler {
  readonly #now: Clock;
  readonly #timeoutMs: number;
  readonly #maxHeldBytes: number;
  readonly #maxMessageBytes: number;
  /** Insertion order is start order: the oldest message first. */
  readonly #messages = new Map<string, HeldMessage>();
  #heldBytes = 0;
  #lost = 0;
  /** Messages remembered as too large (held in #messages with no fragments). */
  #rejected = 0;

  constructor(options: ReassemblerOptions) {
    this.#now = options.now;
    this.#timeoutMs = positiveNumber("timeoutMs", options.timeoutMs, FRAGMENT_TIMEOUT_MS);
    this.#maxHeldBytes = positiveNumber(
      "maxHeldBytes",
      options.maxHeldBytes,
      MAX_FRAGMENT_HELD_BYTES,
    );
    this.#maxMessageBytes = positiveNumber(
      "maxMessageBytes",
      options.maxMessageBytes,
      DEFAULT_MAX_MESSAGE_BYTES,
    );
  }

  /** Messages dropped incomplete: timed out, or pushed out by maxHeldBytes. */
  get lost(): number {
    return this.#lost;
  }
  /** Bytes charged now: held fragment payloads plus bookkeeping. */
  get heldBytes(): number {
    return this.#heldBytes;
  }
  /** Messages waiting for fragments now (those remembered as too large are not counted). */
  get partials(): number {
    return this.#messages.size - this.#rejected;
  }

  /** True while a message with this key is held (or remembered as too large). */
  has(key: string): boolean {
    return this.#messages.has(key);
  }

  add(key: string, flags: number, index: number, count: number, bytes: Uint8Array): FragmentResult {
    if (!Number.isInteger(count) || count < MIN_FRAGMENT_COUNT || count > MAX_FRAGMENT_COUNT) {
      return BAD_FRAGMENT;
    }
    if (!Number.isInteger(index) || index < 0 || index >= count) return BAD_FRAGMENT;
    let message = this.#messages.get(key);
    if (message !== undefined) {
      if (message.fragments === undefined) return TOO_LARGE;
      if (message.flags !== flags || message.count !== count) return BAD_FRAGMENT;
      if (message.fragments.has(index)) return DUPLICATE;
    } else {
      message = this.#start(key, flags, count);
      if (message === undefined) return TOO_LARGE;
    }
    if (this.#tooLarge(message, index, bytes.length)) {
      this.#reject(message);
      return TOO_LARGE;
    }
    const cost = bytes.length + FRAGMENT_BOOKKEEPING_BYTES;
    if (!this.#makeRoom(cost, key)) {
      this.#reject(message);
      return TOO_LARGE;
    }
    return this.#hold(key, message, index, bytes, cost);
  }

  /** Drops messages older than timeoutMs: incomplete ones count as lost. */
  sweep(): void {
    const now = this.#now();
    for (const [key, message] of this.#messages) {
      if (now - message.startedAt < this.#timeoutMs) break;
      this.#drop(key, message);
    }
  }

  #start(key: string, flags: number, count: number): HeldMessage | undefined {
    if (!this.#makeRoom(MESSAGE_BOOKKEEPING_BYTES, undefined)) return undefined;
    const message: HeldMessage = {
      flags,
      count,
      startedAt: this.#now(),
      fragments: new Map(),
      payloadBytes: 0,
      chargedBytes: MESSAGE_BOOKKEEPING_BYTES,
    };
    this.#heldBytes += MESSAGE_BOOKKEEPING_BYTES;
    this.#messages.set(key, message);
    return message;
  }

  #tooLarge(message: HeldMessage, index: number, size: number): boolean {
    if (message.payloadBytes + size > this.#maxMessageBytes) return true;
    return index < message.count - 1 && (message.count - 1) * size > this.#maxMessageBytes;
  }

  /** Frees a message's fragments; it stays as a marker that answers `too-large`. */
  #reject(message: HeldMessage): void {
    this.#heldBytes -= message.chargedBytes - MESSAGE_BOOKKEEPING_BYTES;
    message.chargedBytes = MESSAGE_BOOKKEEPING_BYTES;
    message.payloadBytes = 0;
    message.fragments = undefined;
    this.#rejected++;
  }

  /** Drops the oldest messages other than `keep` until `cost` more bytes fit. */
  #makeRoom(cost: number, keep: string | undefined): boolean {
    if (this.#heldBytes + cost <= this.#maxHeldBytes) return true;
    for (const [key, message] of this.#messages) {
      if (key === keep) continue;
      this.#drop(key, message);
      if (this.#heldBytes + cost <= this.#maxHeldBytes) return true;
    }
    return false;
  }

  #drop(key: string, message: HeldMessage): void {
    if (message.fragments !== undefined) this.#lost++;
    else this.#rejected--;
    this.#heldBytes -= message.chargedBytes;
    this.#messages.delete(key);
  }

  #hold(
    key: string,
    message: HeldMessage,
    index: number,
    bytes: Uint8Array,
    cost: number,
  ): FragmentResult {
    const fragments = message.fragments as Map<number, Uint8Array | string>;
    fragments.set(index, copyOf(bytes));
    message.payloadBytes += bytes.length;
    message.chargedBytes += cost;
    this.#heldBytes += cost;
    if (fragments.size < message.count) return PENDING;
    const payload = new Uint8Array(message.payloadBytes);
    const text = Buffer.from(payload.buffer);
    let offset = 0;
    for (let i = 0; i < message.count; i++) {
      const part = fragments.get(i) as Uint8Array | string;
      if (typeof part === "string") text.write(part, offset, "latin1");
      else payload.set(part, offset);
      offset += part.length;
    }
    this.#heldBytes -= message.chargedBytes;
    this.#messages.delete(key);
    return { status: "complete", payload };
  }
}
