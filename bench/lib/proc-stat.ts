/** Reading /proc/PID/stat and /proc/PID/task/TID/stat (Linux). */
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second of utime and stime (USER_HZ), 100 on Linux. */
export const TICKS_PER_SECOND = 100;

/**
 * The fields after the command name, which is in parentheses and may hold
 * spaces: index 0 is the state (field 3 of stat(5)), so utime (field 14) is
 * index 11 and stime index 12, cutime and cstime 13 and 14. Throws when the
 * file cannot be read.
 */
export function procStatFields(path: string): number[] {
  const text = readFileSync(path, "utf8");
  return text
    .slice(text.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
}

/** utime + stime of a stat file's fields, in ticks. */
export function ownTicks(fields: readonly number[]): number {
  return (fields[11] ?? 0) + (fields[12] ?? 0);
}
