/**
 * Output to a file descriptor (the server's stdout) with exact accounting:
 * every line is either written whole or not at all, and each write says how
 * many of its lines were written.
 *
 * - A regular file (or a character device) is written synchronously, short
 *   writes continued. When a write fails part way (ENOSPC on a full disk),
 *   the file is truncated back to the end of the last whole line, and the
 *   lines before it count as written.
 * - A pipe or socket is written in pieces of whole lines of at most PIPE_BUF
 *   bytes, one piece at a time, each with one non-blocking write(2) (through
 *   a stream that waits for the reader when the pipe is full): the kernel
 *   writes such a piece whole or not at all, so a reader that stops never
 *   leaves a line cut, and `abort()` (at shutdown) cancels the piece still
 *   waiting, so nothing reaches the reader after it was counted dropped. A
 *   single line longer than PIPE_BUF cannot be written atomically; it is
 *   still written in order, and counted written only once all of it is.
 * - A terminal is left to the caller's stream (`openFdOutput` answers
 *   undefined).
 */
import { fstatSync } from "node:fs";
import { isatty } from "node:tty";
import { FileOutput } from "./file-output.js";
import type { LineStream } from "./line-stream.js";
import { PipeOutput } from "./pipe-output.js";

export { FileOutput } from "./file-output.js";
export { linesIn, PIPE_BUF, pieces } from "./line-pieces.js";
export { PipeOutput } from "./pipe-output.js";

/**
 * The output for `fd`: a FileOutput for a regular file or a character
 * device, a PipeOutput for a pipe or socket; undefined for a terminal or
 * when `fd` cannot be examined (the caller then writes through its stream).
 */
export function openFdOutput(fd: number): LineStream | undefined {
  try {
    if (isatty(fd)) return undefined;
    const stat = fstatSync(fd);
    if (stat.isFile() || stat.isCharacterDevice()) return new FileOutput(fd, stat.isFile());
    if (stat.isFIFO() || stat.isSocket()) return new PipeOutput(fd);
  } catch {
    // Not open, or not examinable: the caller's stream it is.
  }
  return undefined;
}
