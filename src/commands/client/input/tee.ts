/**
 * `--tee`: every input chunk copied to an output (stdout) as it is read,
 * bytes unchanged, before its lines are shipped. When the output is slow,
 * the next chunk is read only once it has drained, so memory stays bounded.
 * When the output fails (EPIPE: its reader went away), copying stops with
 * one warning and shipping goes on.
 */
import type { ByteStream, SourceOpener } from "./lines.js";

export class Tee {
  #broken = false;
  #waiters: (() => void)[] = [];

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly warn: (line: string) => void,
  ) {
    out.on("error", (error: unknown) => this.#fail(error));
    out.on("drain", () => this.#wake());
    out.on("close", () => this.#wake());
  }

  /** False once copying stopped. */
  get copying(): boolean {
    return !this.#broken;
  }

  /** Copies `chunk`; resolves at once, or once the output has drained when it is full. */
  write(chunk: Uint8Array | string): Promise<void> | undefined {
    if (this.#broken) return undefined;
    // A copy: the producer may reuse its buffer while the output still holds this one.
    const copy = typeof chunk === "string" ? chunk : Buffer.from(chunk);
    let wrote: boolean;
    try {
      wrote = this.out.write(copy);
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
    if (wrote) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** An opener whose sources are copied as they are read. */
  opener(open: SourceOpener): SourceOpener {
    return async (source) => new TeedStream(await open(source), this);
  }

  /** Stops waiting for the output (the reader was closed). */
  release(): void {
    this.#wake();
  }

  #fail(error: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    const code = (error as { code?: unknown } | undefined)?.code;
    const why =
      typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
    this.warn(`shipper-client: --tee stopped: cannot write stdout (${why}); shipping goes on`);
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A source whose chunks are copied to the tee; destroy() reaches the source. */
class TeedStream implements AsyncIterable<Uint8Array | string> {
  constructor(
    private readonly stream: ByteStream,
    private readonly tee: Tee,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of this.stream) {
      const drained = this.tee.write(chunk);
      yield chunk;
      if (drained !== undefined) await drained;
    }
  }

  destroy(): void {
    const destroy = (this.stream as { destroy?: unknown }).destroy;
    if (typeof destroy === "function") destroy.call(this.stream);
    this.tee.release();
  }
}
