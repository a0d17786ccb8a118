/**
 * A UDP proxy on loopback for tests of real failures: clients send to its
 * port, it forwards to the target from a socket of its own, and forwards
 * what the target answers back to the client it last heard from. Each
 * direction drops, duplicates, delays and reorders datagrams by
 * probabilities drawn from a seeded source; pause() drops everything until
 * resume().
 */
import dgram from "node:dgram";
import { seededRandom } from "./prng.js";

export interface Impairments {
  /** Probability (0..1) that a datagram is dropped. */
  readonly drop?: number;
  /** Probability that a datagram is sent twice. */
  readonly duplicate?: number;
  /** Probability that a datagram is held for delayMs before it goes. */
  readonly delay?: number;
  readonly delayMs?: number;
  /** Probability that a datagram is held back until the next one in its direction went. */
  readonly reorder?: number;
}

export interface ProxyOptions {
  readonly targetPort: number;
  readonly targetHost?: string;
  /** Client to target. */
  readonly toTarget?: Impairments;
  /** Target to client. */
  readonly toClient?: Impairments;
  readonly seed?: number;
  /** Sees every datagram the proxy forwards (copies included), after the impairments. */
  readonly tap?: (direction: "toTarget" | "toClient", datagram: Buffer) => void;
}

export interface DirectionStats {
  received: number;
  forwarded: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  reordered: number;
}

const newStats = (): DirectionStats => ({
  received: 0,
  forwarded: 0,
  dropped: 0,
  duplicated: 0,
  delayed: 0,
  reordered: 0,
});

class Direction {
  readonly stats = newStats();
  #heldBack: (() => void) | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly impairments: Impairments,
    readonly random: () => number,
    readonly send: (datagram: Buffer) => void,
  ) {}

  pass(datagram: Buffer, paused: boolean): void {
    this.stats.received += 1;
    const { drop = 0, duplicate = 0, delay = 0, delayMs = 20, reorder = 0 } = this.impairments;
    if (paused || this.random() < drop) {
      this.stats.dropped += 1;
      return;
    }
    const copies = this.random() < duplicate ? 2 : 1;
    if (copies === 2) this.stats.duplicated += 1;
    const go = () => {
      for (let i = 0; i < copies; i++) this.#out(datagram);
    };
    if (this.random() < delay) {
      this.stats.delayed += 1;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        go();
      }, delayMs);
      this.#timers.add(timer);
    } else if (this.#heldBack === undefined && this.random() < reorder) {
      this.stats.reordered += 1;
      this.#heldBack = go;
      // Nothing may come after it: it goes anyway, a little late.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#release(go);
      }, delayMs);
      this.#timers.add(timer);
    } else {
      go();
      if (this.#heldBack !== undefined) this.#release(this.#heldBack);
    }
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #release(go: () => void): void {
    if (this.#heldBack !== go) return;
    this.#heldBack = undefined;
    go();
  }

  #out(datagram: Buffer): void {
    this.stats.forwarded += 1;
    this.send(datagram);
  }
}

export class UdpProxy {
  readonly #front: dgram.Socket;
  readonly #back: dgram.Socket;
  readonly #toTarget: Direction;
  readonly #toClient: Direction;
  #client: dgram.RemoteInfo | undefined;
  #paused = false;

  private constructor(front: dgram.Socket, back: dgram.Socket, options: ProxyOptions) {
    this.#front = front;
    this.#back = back;
    const random = seededRandom(options.seed ?? 7);
    const host = options.targetHost ?? "127.0.0.1";
    const tap = options.tap;
    this.#toTarget = new Direction(options.toTarget ?? {}, random, (datagram) => {
      tap?.("toTarget", datagram);
      back.send(datagram, options.targetPort, host);
    });
    this.#toClient = new Direction(options.toClient ?? {}, random, (datagram) => {
      tap?.("toClient", datagram);
      const client = this.#client;
      if (client !== undefined) front.send(datagram, client.port, client.address);
    });
    front.on("message", (datagram, from) => {
      this.#client = from;
      this.#toTarget.pass(datagram, this.#paused);
    });
    back.on("message", (datagram) => this.#toClient.pass(datagram, this.#paused));
  }

  static async start(options: ProxyOptions): Promise<UdpProxy> {
    const bind = async () => {
      const socket = dgram.createSocket("udp4");
      socket.on("error", () => {});
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
      return socket;
    };
    return new UdpProxy(await bind(), await bind(), options);
  }

  /** The port clients send to. */
  get port(): number {
    return this.#front.address().port;
  }

  /** The port the target sees datagrams come from. */
  get targetSidePort(): number {
    return this.#back.address().port;
  }

  get stats(): { toTarget: DirectionStats; toClient: DirectionStats } {
    return { toTarget: { ...this.#toTarget.stats }, toClient: { ...this.#toClient.stats } };
  }

  /** Drops everything, both ways, until resume(). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  async close(): Promise<void> {
    this.#toTarget.close();
    this.#toClient.close();
    await Promise.all(
      [this.#front, this.#back].map(
        (socket) => new Promise<void>((resolve) => socket.close(() => resolve())),
      ),
    );
  }
}
