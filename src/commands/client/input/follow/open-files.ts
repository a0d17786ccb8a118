/**
 * The files a Follower follows: the open ones in turn order (each read one
 * chunk per turn, so a busy file does not starve the others), and every file
 * followed, open or waiting for a descriptor, by its `dev:ino`.
 */
import { type FileHandle, open } from "node:fs/promises";
import { idKey } from "./identity.js";
import type { TailedFile } from "./tailed-file.js";

export class OpenFiles {
  /** Open files in turn order. */
  list: TailedFile[] = [];
  /** Every file followed (open or waiting) by its `dev:ino`. */
  readonly byKey = new Map<string, TailedFile>();
  private turn = 0;

  get size(): number {
    return this.list.length;
  }

  /**
   * A file newly followed. When a rotated file left its path, the new file
   * there waits until the rotated one has been read to its end, and has
   * sent a last line without LF: its line ends, or the file is let go.
   */
  add(file: TailedFile): void {
    file.waitsFor = this.list.find((other) => other.detached && other.path === file.path);
    this.list.push(file);
    this.byKey.set(file.key, file);
  }

  /** Out of the turns; `forget`: no longer followed at all. */
  remove(file: TailedFile, forget: boolean): void {
    this.list = this.list.filter((other) => other !== file);
    if (forget) this.byKey.delete(file.key);
  }

  /** A waiting file back in the turns. */
  resume(file: TailedFile): void {
    this.list.push(file);
  }

  /** The next file with bytes to read, in turn; undefined when none has. */
  pick(): TailedFile | undefined {
    const count = this.list.length;
    for (let i = 0; i < count; i++) {
      const file = this.list[(this.turn + i) % count] as TailedFile;
      if (file.atEnd || !file.open) continue;
      const before = file.waitsFor;
      if (before !== undefined) {
        // Let go of a predecessor once it is forgotten, so rotations do not chain files in memory.
        if (this.byKey.get(before.key) !== before) file.waitsFor = undefined;
        else if (!before.atEnd || before.holdsPartialLine) continue;
      }
      this.turn = (this.turn + i + 1) % count;
      return file;
    }
    return undefined;
  }
}

/** Opens a waiting file's path again; undefined when it no longer names that file. */
export async function reopen(file: TailedFile): Promise<FileHandle | undefined> {
  try {
    const handle = await open(file.path, "r");
    const stats = await handle.stat({ bigint: true });
    if (idKey(stats) === file.key) return handle;
    await handle.close();
  } catch {
    // Gone: it is forgotten; a file now at its path is found by the next scan.
  }
  return undefined;
}
