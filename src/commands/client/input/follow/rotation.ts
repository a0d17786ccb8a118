/**
 * What happened to a followed file since the last look, decided from what a
 * look saw: pure, so every case is a table row in the tests.
 *
 * - truncated (copytruncate, or emptied and written again): its size is below
 *   the offset read so far, or its first bytes changed; it is read again from
 *   its start;
 * - rotated (renamed away, a new file at its path) or deleted: it is
 *   "detached"; the open descriptor still reads the old file to its end;
 * - finished: a detached file read to its end that is deleted, or has not
 *   grown for `rotateWaitMs` (a writer may still append to a renamed file
 *   until it reopens its log); it is then closed and let go.
 */

/** What one look at a file saw. */
export interface Observation {
  /** The size of the open file now. */
  readonly size: number;
  /** Names the open file still has; 0 once it is deleted. */
  readonly links: number;
  /** What its path names now: this same file, another file, or nothing. */
  readonly path: "same" | "other" | "missing";
  /** Its first bytes still match its fingerprint; undefined when not checked. */
  readonly sameStart: boolean | undefined;
}

/** What the follower knows of the file before the look. */
export interface FileProgress {
  /** Bytes of the file read so far. */
  readonly readOffset: number;
  /** Its path no longer names it (renamed away or deleted). */
  readonly detached: boolean;
  /** Monotonic ms when it last grew (or was opened). */
  readonly grewAtMs: number;
}

export type Decision = "truncated" | "rotated" | "deleted" | "grown" | "finished" | "unchanged";

export function decide(
  file: FileProgress,
  seen: Observation,
  nowMs: number,
  rotateWaitMs: number,
): Decision {
  if (seen.sameStart === false || seen.size < file.readOffset) return "truncated";
  if (!file.detached && seen.path !== "same") return seen.links === 0 ? "deleted" : "rotated";
  if (seen.size > file.readOffset) return "grown";
  if (!file.detached) return "unchanged";
  const idle = nowMs - file.grewAtMs >= rotateWaitMs;
  return seen.links === 0 || idle ? "finished" : "unchanged";
}
