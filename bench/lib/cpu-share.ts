/**
 * How much of the machine's CPU the bench used and how much everything
 * else did, from /proc/stat and /proc/PID/stat (Linux only): the share
 * others used is the noise the figures carry.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { ownTicks, procStatFields, TICKS_PER_SECOND } from "./proc-stat.js";

function machineBusyTicks(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/) ?? [];
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = fields.slice(1).map(Number);
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

/** utime + stime (+ cutime + cstime of reaped children when `withChildren`), in ticks. */
function processTicks(pid: number | "self", withChildren: boolean): number {
  try {
    const fields = procStatFields(`/proc/${pid}/stat`);
    const own = ownTicks(fields);
    return withChildren ? own + (fields[13] ?? 0) + (fields[14] ?? 0) : own;
  } catch {
    return 0;
  }
}

export interface CpuShares {
  /** Share of all cores busy over the run. */
  readonly machine: number;
  /** Share of all cores used by the bench and the processes it ran. */
  readonly bench: number;
  /** Share of all cores used by everything else. */
  readonly others: number;
}

export class CpuAccount {
  readonly #start = performance.now();
  readonly #machine = machineBusyTicks();
  readonly #self = processTicks("self", true);

  /** Call while `livePids` (long-running children of the bench) are still alive. */
  finish(livePids: readonly number[]): CpuShares {
    const seconds = (performance.now() - this.#start) / 1000;
    const capacity = seconds * cpus().length * TICKS_PER_SECOND;
    const machine = machineBusyTicks() - this.#machine;
    let bench = processTicks("self", true) - this.#self;
    for (const pid of livePids) bench += processTicks(pid, false);
    return {
      machine: machine / capacity,
      bench: bench / capacity,
      others: Math.max(0, machine - bench) / capacity,
    };
  }
}
