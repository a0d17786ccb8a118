/**
 * A stand-in for a server that acknowledges (PROTOCOL.md section 6), for
 * tests and the bench: a UDP socket on loopback that decodes what it gets
 * with the project's wire decoder, keeps each message's entries once by
 * (stream, seq), and answers every complete message, first copy or
 * duplicate, when it asks for one (ACK_REQUESTED), with acknowledgements coalesced per stream every few
 * milliseconds and sent to the address and port the stream's datagrams came
 * from. It can lose a share of its acknowledgements (seeded) or never answer.
 */
import dgram from "node:dgram";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { decodeFrame, encodeAcks, Flag, toRanges } from "../../src/wire/index.js";
import { seededRandom } from "./prng.js";

export interface AckerOptions {
  /** Checks incoming tags and signs acknowledgements with it. */
  readonly key?: Uint8Array;
  /** Share of acknowledgement datagrams not sent, 0..1 (default 0). */
  readonly loseAcks?: number;
  /** Acknowledge nothing until speak() is called. */
  readonly silent?: boolean;
  /** Coalescing interval (default 5 ms). */
  readonly everyMs?: number;
  readonly seed?: number;
  /** UDP port on 127.0.0.1 to bind (default any free one). */
  readonly port?: number;
}

interface StreamState {
  readonly stream: Uint8Array;
  address: string;
  port: number;
  readonly pending: Set<number>;
}

export class Acker {
  readonly socket: dgram.Socket;
  /** Entries of every (stream, seq), first complete copy only. */
  readonly messages = new Map<string, string[]>();
  entries = 0;
  /** Complete messages seen again after their first copy. */
  duplicates = 0;
  datagrams = 0;
  rejected: string[] = [];
  ackDatagrams = 0;
  ackBytes = 0;
  readonly #options: AckerOptions;
  readonly #random: () => number;
  readonly #decoder;
  readonly #streams = new Map<string, StreamState>();
  readonly #timer: NodeJS.Timeout;
  #waiters: { count: number; resolve: () => void }[] = [];
  #silent: boolean;
  /** Where the last datagram came from (the client, or the proxy in front of it). */
  lastSender: dgram.RemoteInfo | undefined;

  private constructor(socket: dgram.Socket, options: AckerOptions) {
    this.socket = socket;
    this.#options = options;
    this.#random = seededRandom(options.seed ?? 1);
    this.#silent = options.silent === true;
    const keys = options.key === undefined ? [] : [options.key];
    this.#decoder = createDecoder({ now: () => performance.now(), keys });
    socket.on("message", (datagram, from) => this.#receive(datagram, from));
    this.#timer = setInterval(() => this.#flush(), options.everyMs ?? 5);
  }

  static async start(options: AckerOptions = {}): Promise<Acker> {
    const socket = dgram.createSocket("udp4");
    socket.on("error", () => {});
    await new Promise<void>((resolve) => socket.bind(options.port ?? 0, "127.0.0.1", resolve));
    return new Acker(socket, options);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves once `count` distinct entries are in. */
  waitFor(count: number): Promise<void> {
    if (this.entries >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Starts acknowledging, everything held back while silent included. */
  speak(): void {
    this.#silent = false;
    this.#flush();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  #receive(datagram: Buffer, from: dgram.RemoteInfo): void {
    this.datagrams += 1;
    this.lastSender = from;
    const frame = decodeFrame(datagram);
    const outcome = this.#decoder.decode(datagram);
    if (outcome.rejected !== undefined) this.rejected.push(outcome.rejected);
    if (!frame.ok || frame.value.stream === undefined || frame.value.seq === undefined) return;
    if (outcome.pending || outcome.rejected === "unauthenticated") return;
    const { stream, seq, flags } = frame.value;
    const id = `${Buffer.from(stream).toString("hex")}-${seq}`;
    if (this.messages.has(id)) this.duplicates += 1;
    else if (!outcome.duplicate) {
      this.messages.set(id, outcome.entries);
      this.entries += outcome.entries.length;
      this.#wake();
    }
    // Only a message that asks for it is acknowledged (section 6).
    if ((flags & Flag.ACK_REQUESTED) === 0) return;
    const hex = id.slice(0, 16);
    let state = this.#streams.get(hex);
    if (state === undefined) {
      state = {
        stream: Uint8Array.from(stream),
        address: from.address,
        port: from.port,
        pending: new Set(),
      };
      this.#streams.set(hex, state);
    }
    state.address = from.address;
    state.port = from.port;
    state.pending.add(seq);
  }

  #flush(): void {
    if (this.#silent) return;
    for (const state of this.#streams.values()) {
      if (state.pending.size === 0) continue;
      const ranges = toRanges(state.pending);
      state.pending.clear();
      for (const ack of encodeAcks(state.stream, ranges, this.#options.key)) {
        if (this.#random() < (this.#options.loseAcks ?? 0)) continue;
        this.ackDatagrams += 1;
        this.ackBytes += ack.length;
        this.socket.send(ack, state.port, state.address);
      }
    }
  }

  #wake(): void {
    const ready = this.#waiters.filter((waiter) => this.entries >= waiter.count);
    this.#waiters = this.#waiters.filter((waiter) => this.entries < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }
}
