/**
 * Decoding workers run at a lower scheduling priority than the thread that
 * receives. The receiving thread is the one that must keep up with the
 * socket; a worker's backlog only waits. Without it, every hand-over that
 * wakes a worker can preempt the receiving thread on a busy machine. Linux
 * only (a thread is its own task there, with its own nice value); elsewhere
 * nothing changes.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Nice value added to a decoding worker's thread. */
export const WORKER_NICE = 5;

/** Lowers the calling thread's priority; false where the system does not allow it. */
export function lowerThisThread(nice = WORKER_NICE): boolean {
  if (process.platform !== "linux" || nice === 0) return false;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
