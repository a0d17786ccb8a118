/**
 * Message ids (PROTOCOL.md section 7). A sequenced message is
 * `<stream as 16 lowercase hex digits>-<seq>`: the same message sent again
 * has the same id, so an output that removes duplicates by id stores it once.
 * A message without a stream and seq (the original shipper, bare JSON,
 * syslog, GELF, an unsequenced frame) gets `srv-<instance>-<n>`: `instance`
 * is 16 hex digits drawn at random when the server starts, `n` counts from 0,
 * so no two messages share an id, across restarts too; the `srv-` prefix
 * keeps these apart from any stream's ids.
 */
import { randomBytes } from "node:crypto";

/** What an id is made from: the decoder's stream and seq, when it had them. */
export interface Sequenced {
  readonly stream?: string | undefined;
  readonly seq?: number | undefined;
}

export class MessageIds {
  readonly #prefix: string;
  #next = 0;

  /** `instance`: 16 hex digits; default 8 random bytes. */
  constructor(instance: string = randomBytes(8).toString("hex")) {
    this.#prefix = `srv-${instance}-`;
  }

  /** The id of one message. */
  of(message: Sequenced): string {
    if (message.stream !== undefined && message.seq !== undefined) {
      return `${message.stream}-${message.seq}`;
    }
    return this.#prefix + this.#next++;
  }
}
