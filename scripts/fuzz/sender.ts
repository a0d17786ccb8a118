/**
 * Sends datagrams to the server in windows small enough for its receive
 * buffer: after each window, a probe entry; before a window is sent, the probe
 * of the window before the previous one must be on stdout. The kernel never
 * holds more than two windows, and a probe that never comes out means the
 * server stopped reading.
 */
import dgram from "node:dgram";
import { probeText, type ServerProcess } from "../../test/support/server-process.js";

/** What the server asks the kernel for by default (its --buffer-size). */
const DEFAULT_SERVER_BUFFER_BYTES = 8 * 1024 * 1024;
const MAX_WINDOW_BYTES = 1024 * 1024;

export interface PacingOptions {
  /** Datagrams per window. Default 256. */
  readonly windowDatagrams?: number;
  /**
   * Bytes per window, each datagram counted with `overheadBytes` more. Default:
   * a quarter of the receive buffer the server was granted, at most 1 MiB.
   */
  readonly windowBytes?: number;
  /** Kernel bookkeeping charged per datagram. Default 1 KiB. */
  readonly overheadBytes?: number;
  /** How long a probe may take to come out before the server is taken for stuck. Default 60 s. */
  readonly probeTimeoutMs?: number;
}

export class PacedSender {
  readonly #server: ServerProcess;
  readonly #nonce: string;
  readonly #socket: dgram.Socket;
  readonly #windowDatagrams: number;
  readonly #windowBytes: number;
  readonly #overheadBytes: number;
  readonly #probeTimeoutMs: number;
  #windowCount = 0;
  #windowCost = 0;
  /** Datagrams handed to the kernel without error, probes included. */
  sent = 0;
  sentBytes = 0;
  sendErrors = 0;
  /** Probes sent, and those of them the kernel took without error. */
  probes = 0;
  probesSent = 0;
  /** Set when a probe did not come out in time: the message says which. */
  stuck: string | undefined;

  constructor(server: ServerProcess, nonce: string, options: PacingOptions = {}) {
    this.#server = server;
    this.#nonce = nonce;
    this.#socket = dgram.createSocket("udp4");
    this.#windowDatagrams = options.windowDatagrams ?? 256;
    const granted = server.grantedRecvBufferBytes ?? DEFAULT_SERVER_BUFFER_BYTES;
    this.#windowBytes = options.windowBytes ?? Math.min(MAX_WINDOW_BYTES, Math.floor(granted / 4));
    this.#overheadBytes = options.overheadBytes ?? 1024;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 60_000;
  }

  #raw(bytes: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      this.#socket.send(bytes, this.#server.port, "127.0.0.1", (error) => {
        if (error) {
          this.sendErrors++;
          resolve(false);
          return;
        }
        this.sent++;
        this.sentBytes += bytes.length;
        resolve(true);
      });
    });
  }

  /** Sends one datagram; false when the send failed (it then never reached the server). */
  async send(bytes: Uint8Array): Promise<boolean> {
    if (this.stuck !== undefined) return false;
    const ok = await this.#raw(bytes);
    this.#windowCount++;
    this.#windowCost += bytes.length + this.#overheadBytes;
    if (this.#windowCount >= this.#windowDatagrams || this.#windowCost >= this.#windowBytes) {
      await this.#closeWindow(1);
    }
    return ok;
  }

  /** Sends a probe; waits until at most `behind` probes are still to come out. */
  async #closeWindow(behind: number): Promise<void> {
    const n = this.probes++;
    if (await this.#raw(Buffer.from(probeText(this.#nonce, n)))) this.probesSent++;
    this.#windowCount = 0;
    this.#windowCost = 0;
    const wanted = n - behind;
    const sink = this.#server.sink;
    if (wanted < 0) return;
    const seen = await this.#server.until(() => sink.highestProbe >= wanted, this.#probeTimeoutMs);
    if (!seen) {
      this.stuck = this.#server.exitedEarly
        ? `the server exited before probe ${wanted} came out`
        : `probe ${wanted} did not come out within ${this.#probeTimeoutMs} ms`;
    }
  }

  /** A last probe, waited for: once it is out, the server has read everything sent. */
  async finish(): Promise<boolean> {
    if (this.stuck === undefined) await this.#closeWindow(0);
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
    return this.stuck === undefined;
  }
}
