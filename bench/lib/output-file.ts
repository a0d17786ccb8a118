/** The server's stdout written to a file: when it stops growing, its lines, its line count. */
import { createReadStream, statSync } from "node:fs";
import { sleep } from "../../test/support/process.js";

/**
 * Waits until the file stops growing for `quietMs` (at most `maxMs`);
 * resolves with performance.now() of the last growth seen.
 */
export async function settled(path: string, quietMs: number, maxMs: number): Promise<number> {
  const start = performance.now();
  let size = -1;
  let grewAt = start;
  while (performance.now() - start < maxMs) {
    const now = performance.now();
    const current = statSync(path).size;
    if (current !== size) {
      size = current;
      grewAt = now;
    } else if (now - grewAt >= quietMs) {
      break;
    }
    await sleep(20);
  }
  return grewAt;
}

/** Calls `onLine` for each line of a file, read in chunks. */
export async function eachLine(path: string, onLine: (line: string) => void): Promise<void> {
  let rest = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  if (rest !== "") onLine(rest);
}

/** LF bytes in a file. */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  }
  return count;
}
