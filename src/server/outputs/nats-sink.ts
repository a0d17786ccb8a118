/**
 * The NATS JetStream output: each batch published under the message ids of
 * PROTOCOL.md section 7, so a batch sent again is stored once. See
 * docs/outputs-nats.md.
 */
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { systemTimers, type Timers } from "../../foundation/time.js";
import { natsName } from "./names.js";
import { NatsLink } from "./nats-connection.js";
import { DEFAULT_MAX_IN_FLIGHT, natsReason, publishAll } from "./nats-publisher.js";
import { PayloadTooLargeError, type Publish, planPublishes } from "./nats-publishes.js";
import { ensureStream } from "./nats-stream.js";
import { compileSubject, type SubjectTemplate } from "./nats-subject.js";
import type { NatsMode, NatsSinkOptions } from "./sink-options.js";
import type { DeliveryResult, OutputBatch, Sink } from "./types.js";

/** The mode of an output that names none: several times the entries per second of `entry`. */
export const DEFAULT_NATS_MODE: NatsMode = "batch";

/** What a server that refused the credentials answers. */
const AUTH_ERRORS = new Set(["AuthorizationError", "UserAuthenticationExpiredError"]);

/** NATS's default max_payload, used until the server has said its own. */
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface NatsSinkDeps {
  readonly timers?: Timers;
  /** Publishes awaiting their acknowledgement at once; default DEFAULT_MAX_IN_FLIGHT. */
  readonly maxInFlight?: number;
}

/** Starts connecting in the background and returns at once. */
export function createNatsSink(options: NatsSinkOptions, deps: NatsSinkDeps = {}): Sink {
  return new NatsSink(options, deps);
}

class NatsSink implements Sink {
  readonly name: string;
  readonly #options: NatsSinkOptions;
  readonly #subjects: SubjectTemplate;
  readonly #maxInFlight: number;
  readonly #link: NatsLink;
  #js: { nc: NatsConnection; js: JetStreamClient } | undefined;
  #stream: { nc: NatsConnection; ready: Promise<void> } | undefined;

  constructor(options: NatsSinkOptions, deps: NatsSinkDeps) {
    this.#options = options;
    this.#subjects = compileSubject(options.subject);
    this.#maxInFlight = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.name = natsName(options.servers);
    this.#link = new NatsLink(options, deps.timers ?? systemTimers, (nc) => {
      this.#streamReady(nc).catch(() => undefined);
    });
    this.#link.start();
  }

  async deliver(batch: OutputBatch, signal: AbortSignal): Promise<DeliveryResult> {
    try {
      return await this.#deliver(batch, signal);
    } catch (error) {
      return { ok: false, retry: true, reason: "nats-publish", error: error as Error };
    }
  }

  async #deliver(batch: OutputBatch, signal: AbortSignal): Promise<DeliveryResult> {
    const state = this.#link.state;
    if (state.kind === "connecting") {
      const error = state.lastError ?? new Error("not connected to NATS yet");
      const refused = AUTH_ERRORS.has(error.name);
      return { ok: false, retry: true, reason: refused ? "nats-auth" : "nats-connect", error };
    }
    if (state.kind === "disconnected") {
      return { ok: false, retry: true, reason: "nats-disconnected" };
    }
    const { nc } = state;
    try {
      await this.#streamReady(nc);
    } catch (error) {
      return { ok: false, retry: true, reason: natsReason(error as Error), error: error as Error };
    }
    let publishes: Publish[];
    try {
      const maxPayload = nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
      publishes = planPublishes(batch.messages, this.#subjects, this.#options.mode, maxPayload);
    } catch (error) {
      const reason = error instanceof PayloadTooLargeError ? "nats-max-payload" : "nats-encode";
      return { ok: false, retry: false, reason, error: error as Error };
    }
    const js = this.#client(nc);
    const result = await publishAll(
      js,
      publishes,
      this.#options.timeoutMs,
      this.#maxInFlight,
      signal,
    );
    // No stream answers: look it up (and create it when missing) again before the next try.
    if (!result.ok && result.reason === "nats-no-responders") this.#stream = undefined;
    return result;
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  #client(nc: NatsConnection): JetStreamClient {
    if (this.#js?.nc !== nc)
      this.#js = { nc, js: jetstream(nc, { timeout: this.#options.timeoutMs }) };
    return this.#js.js;
  }

  /** The stream check of this connection: made once, made again after a failure. */
  #streamReady(nc: NatsConnection): Promise<void> {
    if (this.#stream?.nc !== nc) {
      const ready = ensureStream(nc, this.#options, this.#subjects);
      const entry = { nc, ready };
      this.#stream = entry;
      ready.catch(() => {
        if (this.#stream === entry) this.#stream = undefined;
      });
    }
    return this.#stream.ready;
  }
}
