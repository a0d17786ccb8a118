/**
 * What an output is made of. A Sink knows one destination (a file, an HTTP
 * endpoint, NATS JetStream) and delivers one batch at a time; the machinery
 * around it (batching, retry with backoff, the spool or memory queue, the
 * accounting) is the same for every sink and lives beside it in this folder.
 * A new destination is a new Sink, not a change to that machinery.
 */

/**
 * The entries of one message, as the server decoded them, under the id of
 * PROTOCOL.md section 7: `<stream as 16 lowercase hex digits>-<seq>` for a
 * sequenced message; for one without a stream and seq, the id the server
 * makes (docs/protocol.md). Entry i of a message stored one by one has the
 * id `<id>-<i>`.
 */
export interface OutputMessage {
  readonly id: string;
  /** Each one line of compact JSON, no line break, as the decoder gives them. */
  readonly entries: readonly string[];
  /**
   * Present when the sender asked for an acknowledgement: each output
   * settles it once, accepted (delivered, written, or spooled) or not
   * (dropped). Absent otherwise, so untracked messages cost nothing.
   */
  readonly receipt?: Receipt;
}

/** Told, once by each output, whether it accepted a message. */
export interface Receipt {
  settle(accepted: boolean): void;
}

/** What a sink is handed: whole messages, in the order the server accepted them. */
export interface OutputBatch {
  readonly messages: readonly OutputMessage[];
  /** Number of entries over all messages. */
  readonly entries: number;
  /** UTF-8 bytes of the entries (without separators). */
  readonly bytes: number;
}

/** How one delivery attempt ended. */
export type DeliveryResult =
  | {
      readonly ok: true;
      /**
       * For a sink that takes a batch before it is stored (stdout hands it
       * to a writer): resolves true once the batch is stored, false when it
       * was dropped. Absent: the batch is accepted as the delivery resolves.
       */
      readonly accepted?: Promise<boolean>;
    }
  | {
      readonly ok: false;
      /**
       * True when trying again may succeed (network error, timeout, 5xx, 408,
       * 429, a NATS disconnect): the batch is retried, then spooled. False when
       * the destination refused the batch for good (other 4xx): its entries
       * are counted dropped with `reason` and never retried.
       */
      readonly retry: boolean;
      /** Stable, short, kebab-case: `http-503`, `http-400`, `timeout`, `connect`, `nats-no-responders`... */
      readonly reason: string;
      /** The destination asked to wait this long before the next try (HTTP Retry-After). */
      readonly retryAfterMs?: number;
      /** For the one warning line when an output goes down. */
      readonly error?: Error;
    };

/** One destination. */
export interface Sink {
  /** The label in the summary, the metrics' `output` label and every message: the spec as given, secrets removed. */
  readonly name: string;
  /**
   * Delivers one batch. Never throws and never rejects: every failure is a
   * DeliveryResult. `signal` aborts an attempt in progress (shutdown gave up
   * waiting); the result is then a retryable failure.
   */
  deliver(batch: OutputBatch, signal: AbortSignal): Promise<DeliveryResult>;
  /** SIGHUP: reopen what can be reopened (a file after logrotate). Optional. */
  reopen?(): Promise<void>;
  /** Releases connections and handles. Idempotent. */
  close(): Promise<void>;
}
