/** CPU time of each thread of a process, from /proc/PID/task/TID/stat (Linux). */
import { readdirSync } from "node:fs";
import { ownTicks, procStatFields, TICKS_PER_SECOND } from "./proc-stat.js";

/** Microseconds of CPU (user + system) by thread id; empty where /proc cannot tell. */
export function threadCpu(pid: number): Map<number, number> {
  const times = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return times;
  }
  for (const tid of tids) {
    try {
      const ticks = ownTicks(procStatFields(`/proc/${pid}/task/${tid}/stat`));
      times.set(Number(tid), (ticks * 1e6) / TICKS_PER_SECOND);
    } catch {
      // The thread ended in between.
    }
  }
  return times;
}

/** CPU used between two readings: the busiest thread's and every thread's, in microseconds. */
export function cpuBetween(
  before: Map<number, number>,
  after: Map<number, number>,
): { busiestUs: number; totalUs: number } {
  let busiestUs = 0;
  let totalUs = 0;
  for (const [tid, us] of after) {
    const used = us - (before.get(tid) ?? 0);
    totalUs += used;
    busiestUs = Math.max(busiestUs, used);
  }
  return { busiestUs, totalUs };
}
