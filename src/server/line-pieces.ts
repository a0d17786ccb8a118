/**
 * Cutting output into whole lines for the fd outputs: how many lines a byte
 * count holds, pieces a pipe writes atomically, and the bytes of a chunk.
 */
/** Bytes the kernel writes to a pipe whole or not at all (Linux, POSIX minimum 512). */
export const PIPE_BUF = 4096;

export const NEWLINE = 0x0a;

/** Newlines in `buffer[0, end)`: the lines written when `end` bytes were. */
export function linesIn(buffer: Uint8Array, end: number): number {
  let count = 0;
  for (let i = buffer.indexOf(NEWLINE); i >= 0 && i < end; i = buffer.indexOf(NEWLINE, i + 1)) {
    count++;
  }
  return count;
}

/**
 * Cuts `buffer` (whole lines) into pieces of at most `limit` bytes, each
 * ending at a line's end; a line longer than `limit` is a piece of its own.
 */
export function pieces(buffer: Buffer, limit: number = PIPE_BUF): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < buffer.length) {
    let end = start;
    for (;;) {
      const nl = buffer.indexOf(NEWLINE, end);
      const next = nl < 0 ? buffer.length : nl + 1;
      if (next - start > limit && end > start) break;
      end = next;
      if (end - start >= limit || end === buffer.length) break;
    }
    out.push(buffer.subarray(start, end));
    start = end;
  }
  return out;
}

/** UTF-8 bytes of `text`; ASCII, the usual case, is copied as Latin-1, which is much faster. */
export function encode(text: string): Buffer {
  return Buffer.byteLength(text) === text.length
    ? Buffer.from(text, "latin1")
    : Buffer.from(text, "utf8");
}

export function abortedError(): Error {
  return Object.assign(new Error("output aborted at shutdown"), { code: "ABORTED" });
}
