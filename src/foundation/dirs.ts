/**
 * `mkdir -p`, one level at a time. Node 20's `mkdir(path, { recursive:
 * true })` never returns for a path under a file system that refuses
 * mkdir with ENOENT (/proc): it takes the refusal for a missing parent and
 * tries again, at full CPU. Here the missing levels are found first, from
 * the path up to the first that exists, then made from the top down; a
 * refusal is thrown as it comes.
 */
import { mkdirSync, statSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

function code(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

/** The levels of `path` that do not exist, the deepest first. */
function missingLevelsSync(path: string): string[] {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      statSync(dir);
      return missing;
    } catch (error) {
      if (code(error) !== "ENOENT") throw error;
    }
    missing.push(dir);
    if (dirname(dir) === dir) return missing;
  }
}

async function missingLevels(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      await stat(dir);
      return missing;
    } catch (error) {
      if (code(error) !== "ENOENT") throw error;
    }
    missing.push(dir);
    if (dirname(dir) === dir) return missing;
  }
}

/** Makes `path` and its missing parents (with `mode`); nothing when it exists. */
export function makeDirsSync(path: string, mode?: number): void {
  for (const dir of missingLevelsSync(path).reverse()) {
    try {
      mkdirSync(dir, mode === undefined ? undefined : { mode });
    } catch (error) {
      // Made meanwhile by another: it is there, as wanted.
      if (code(error) !== "EEXIST") throw error;
    }
  }
}

/** makeDirsSync(), without blocking. */
export async function makeDirs(path: string, mode?: number): Promise<void> {
  for (const dir of (await missingLevels(path)).reverse()) {
    try {
      await mkdir(dir, mode === undefined ? undefined : { mode });
    } catch (error) {
      if (code(error) !== "EEXIST") throw error;
    }
  }
}
