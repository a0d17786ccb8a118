/**
 * The native zlib context inside a node:zlib stream, driven in place for a
 * zlib stream kept from call to call (client/reused-deflate.ts,
 * kept-inflate.ts): through the methods node:zlib's own deflateSync and
 * inflateSync use (`_handle.writeSync`, `_writeState`, `_handle.reset`),
 * which Node does not document. zlibEngine gives undefined where they are
 * not as expected; its callers then use deflateSync or inflateSync.
 */
import { constants } from "node:zlib";

/** What one write takes, after its flush mode. */
type WriteArgs = [
  input: Uint8Array,
  inOffset: number,
  inLength: number,
  output: Uint8Array,
  outOffset: number,
  outLength: number,
];

/** The part of node:zlib's engine this drives. */
interface ZlibHandle {
  writeSync(flush: number, ...args: WriteArgs): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

export class ZlibEngine {
  readonly #handle: ZlibHandle;
  readonly #state: Uint32Array;
  #failed = false;

  constructor(handle: ZlibHandle, state: Uint32Array) {
    this.#handle = handle;
    this.#state = state;
    // Replaces the stream's handler: an error is told by finish(), not emitted.
    handle.onerror = () => {
      this.#failed = true;
    };
  }

  /** Back to the start of a stream (deflateReset, inflateReset), an error forgotten. */
  reset(): void {
    this.#handle.reset();
    this.#failed = false;
  }

  /**
   * One write to the end of the stream (Z_FINISH) from `input` (from
   * `inOffset`, `inLength` bytes) into `output` (from `outOffset`, room for
   * `outLength`); false when zlib failed. outLeft and inLeft then tell what
   * it left of each.
   */
  finish(...args: WriteArgs): boolean {
    this.#handle.writeSync(constants.Z_FINISH, ...args);
    return !this.#failed;
  }

  /** Output room the last write left unused: more than none once the stream has ended. */
  get outLeft(): number {
    return this.#state[0] as number;
  }

  /** Input the last write left unread. */
  get inLeft(): number {
    return this.#state[1] as number;
  }
}

/** The engine of a node:zlib stream (createDeflate, createInflate); undefined when it is not as expected. */
export function zlibEngine(stream: unknown): ZlibEngine | undefined {
  const parts = stream as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = parts._handle;
  const state = parts._writeState;
  if (
    handle === undefined ||
    typeof handle.writeSync !== "function" ||
    typeof handle.reset !== "function" ||
    !(state instanceof Uint32Array) ||
    state.length < 2
  ) {
    return undefined;
  }
  return new ZlibEngine(handle as ZlibHandle, state);
}

let sample: Buffer | undefined;

/**
 * A text like a batch's JSON, which a kept stream's first results are
 * checked on against node:zlib's own (deflateSync, inflateSync); made at
 * the first check.
 */
export function engineSample(): Buffer {
  sample ??= Buffer.from(
    `[${Array.from({ length: 40 }, (_, i) => `{"n":${i * 7919},"m":"sample line ${i % 3}"}`).join(",")}]`,
  );
  return sample;
}
