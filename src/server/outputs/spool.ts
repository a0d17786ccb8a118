/**
 * One output's spool directory: batches as files, oldest first by name.
 *
 * A batch is written to `<n>.tmp`, fsynced, renamed to `<n>.batch` and the
 * directory fsynced, so a crash at any moment leaves either the whole batch
 * or a `.tmp` file that opening the spool deletes: never a torn batch. A file
 * whose header, counts or checksum do not hold is moved into `corrupt/` and
 * counted; the spool goes on with the next.
 */

import { createHash } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { makeDirsSync } from "../../foundation/dirs.js";
import { decodeBatch, readHeader } from "./spool-format.js";
import type { OutputBatch } from "./types.js";

/** A batch on disk. */
export interface SpoolFile {
  readonly name: string;
  readonly entries: number;
  /** Size of the file. */
  readonly fileBytes: number;
}

const BATCH = /^(\d{16})\.batch$/;
const TEMP = /\.tmp$/;
const HEADER_READ_BYTES = 256;

/**
 * A directory name for an output name: its letters, digits, `.`, `_` and `-`
 * (the rest as `_`), then 8 hex digits of its SHA-256, so two names never
 * share a directory.
 */
export function spoolDirName(outputName: string): string {
  const safe = outputName.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  const hash = createHash("sha256").update(outputName).digest("hex").slice(0, 8);
  return `${safe.slice(0, 100)}-${hash}`;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename stands all the same.
  }
}

function firstBytes(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(HEADER_READ_BYTES);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

export class Spool {
  readonly dir: string;
  #next = 0;
  #bytes = 0;
  #corrupt = 0;
  #tornRemoved = 0;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Bytes of the batch files on disk now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Files moved into `corrupt/`. */
  get corruptFiles(): number {
    return this.#corrupt;
  }

  /** `.tmp` files a crash left, deleted by openSync. */
  get tornRemoved(): number {
    return this.#tornRemoved;
  }

  /**
   * Creates the directory when missing, deletes what a crash left half
   * written, and answers the batches found, oldest first (their headers read;
   * a file without a header is moved aside). Throws when the directory
   * cannot be made or read.
   */
  openSync(): SpoolFile[] {
    makeDirsSync(this.dir);
    const found: SpoolFile[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      const path = join(this.dir, name);
      if (TEMP.test(name)) {
        unlinkSync(path);
        this.#tornRemoved++;
        continue;
      }
      const match = BATCH.exec(name);
      if (match === null) continue;
      this.#next = Math.max(this.#next, Number(match[1]) + 1);
      const header = readHeader(firstBytes(path));
      if (header === undefined) {
        this.#moveAsideSync(name);
        continue;
      }
      const fileBytes = statSync(path).size;
      this.#bytes += fileBytes;
      found.push({ name, entries: header.entries, fileBytes });
    }
    return found;
  }

  /** Writes a batch (encoded with encodeBatch) as the newest file; rejects when it cannot. */
  async write(encoded: Buffer, entries: number): Promise<SpoolFile> {
    const name = `${String(this.#next++).padStart(16, "0")}.batch`;
    const temp = join(this.dir, `${name}.tmp`);
    try {
      const handle = await open(temp, "w");
      try {
        await handle.writeFile(encoded);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, join(this.dir, name));
    } catch (error) {
      // A full disk must not keep the half-written file's space until a restart.
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    fsyncDir(this.dir);
    this.#bytes += encoded.length;
    return { name, entries, fileBytes: encoded.length };
  }

  /** The batch in `file`; undefined when it is corrupt (it is then moved aside and counted). */
  async read(file: SpoolFile): Promise<OutputBatch | undefined> {
    let batch: OutputBatch | undefined;
    try {
      batch = decodeBatch(await readFile(join(this.dir, file.name)));
    } catch {
      batch = undefined;
    }
    if (batch === undefined) {
      this.#bytes -= file.fileBytes;
      this.#moveAsideSync(file.name);
    }
    return batch;
  }

  /** Deletes a file once its batch is delivered or dropped. */
  async remove(file: SpoolFile): Promise<void> {
    this.#bytes -= file.fileBytes;
    try {
      await unlink(join(this.dir, file.name));
    } catch {
      // Already gone: nothing to replay.
    }
  }

  #moveAsideSync(name: string): void {
    this.#corrupt++;
    const aside = join(this.dir, "corrupt");
    try {
      makeDirsSync(aside);
      renameSync(join(this.dir, name), join(aside, name));
    } catch {
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Left in place; a later start moves it again.
      }
    }
  }
}
