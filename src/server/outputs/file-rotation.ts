/**
 * Rotating a file output: `PATH` becomes `PATH.1` (`PATH.1.gz` when
 * compressed), `PATH.1` becomes `PATH.2`, and so on; past `keep` rotated
 * files the oldest is deleted. With keep 0 the file is deleted on rotation.
 */
import { createReadStream, createWriteStream, existsSync, renameSync, unlinkSync } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** The name of rotated file `n` (1 the newest), as it is on disk now. */
function existing(path: string, n: number): string | undefined {
  for (const name of [`${path}.${n}`, `${path}.${n}.gz`]) if (existsSync(name)) return name;
  return undefined;
}

function removeQuietly(name: string): void {
  try {
    unlinkSync(name);
  } catch {
    // Gone already.
  }
}

/** The rotated files of `path` on disk, newest first. */
export function rotatedFiles(path: string, upTo = 1000): string[] {
  const names: string[] = [];
  for (let n = 1; n <= upTo; n++) {
    const name = existing(path, n);
    if (name === undefined) break;
    names.push(name);
  }
  return names;
}

/**
 * Rotates `path` (closed by the caller): shifts the kept files up by one,
 * drops the ones past `keep`, renames `path` to `PATH.1`, and compresses that
 * when `gzip` (the plain file is deleted once the .gz is whole).
 */
export async function rotate(path: string, keep: number, gzip: boolean): Promise<void> {
  if (keep <= 0) {
    removeQuietly(path);
    return;
  }
  for (let n = keep; existing(path, n) !== undefined; n++) removeQuietly(existing(path, n) ?? "");
  for (let n = keep - 1; n >= 1; n--) {
    const name = existing(path, n);
    if (name === undefined) continue;
    renameSync(name, name.replace(new RegExp(`\\.${n}(\\.gz)?$`), `.${n + 1}$1`));
  }
  if (!existsSync(path)) return;
  const first = `${path}.1`;
  renameSync(path, first);
  if (gzip) await compress(first);
}

async function compress(name: string): Promise<void> {
  const temp = `${name}.gz.tmp`;
  try {
    await pipeline(createReadStream(name), createGzip(), createWriteStream(temp));
    await rename(temp, `${name}.gz`);
    await unlink(name);
  } catch {
    // The plain file stays: nothing is lost, it is only not compressed.
    removeQuietly(temp);
  }
}
