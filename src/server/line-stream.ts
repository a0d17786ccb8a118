/** What the output writer needs of the stream it writes to, and which of its failures pass. */

/**
 * Called once a chunk's write ends: with no error, every line was written;
 * with an error, `linesWritten` (when the stream can tell) lines of the chunk
 * were written whole and the rest were not written at all.
 */
export type WriteCallback = (error?: Error | null, linesWritten?: number) => void;

/** The part of a writable stream the writer uses (process.stdout fits). */
export interface LineStream {
  write(chunk: string, callback?: WriteCallback): boolean;
  once(event: "drain", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  /**
   * Optional: stops writing at once (shutdown gave up waiting); a write not
   * yet done is answered through its callback, with the lines it wrote.
   */
  abort?(): void;
}

/** Write errors after which writing goes on with the next chunk: the disk may get room again. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EIO"]);

/** True for a write error that may pass (a full disk), false for one that ends the stream. */
export function isTransient(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && TRANSIENT_ERRORS.has(code);
}
