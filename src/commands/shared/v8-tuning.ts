/**
 * The V8 settings each command makes, to keep its resident memory down under
 * a steady stream of work (the server first thing in its `main`, the client
 * once its input turns out to be a stream, client/stream-tuning.ts): which
 * flags, their values and why are in docs/performance.md ("V8 settings"). A
 * setting of the user's own, on the command line or in NODE_OPTIONS, is left
 * to apply instead. V8 reads both flags each time it uses them, so setting
 * them once the process runs takes effect.
 */
import { setFlagsFromString } from "node:v8";

interface Setting {
  readonly flag: string;
  /** Matches a flag of the user's own that this setting would override. */
  readonly given: RegExp;
}

export const V8_SETTINGS: readonly Setting[] = [
  { flag: "--semi-space-growth-factor=1", given: /semi[-_]space/ },
  { flag: "--heap-growing-percent=20", given: /heap[-_]growing/ },
];

/** The settings' flags that neither NODE_OPTIONS nor the command line already sets. */
export function v8Flags(nodeOptions: string | undefined, execArgv: readonly string[]): string[] {
  const given = `${nodeOptions ?? ""} ${execArgv.join(" ")}`;
  return V8_SETTINGS.filter((setting) => !setting.given.test(given)).map((s) => s.flag);
}

/** The part of `process` the tuning uses. */
export interface TuningProcess {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly execArgv: readonly string[];
  on(
    event: "worker",
    listener: (worker: { once(event: "online", f: () => void): unknown }) => void,
  ): unknown;
}

/**
 * The processes already tuned, each with the flags its tuning sets (again at
 * each worker start), shared by every copy of this module in the process
 * (bin/'s loader and the bundled command each have one): a second call (the
 * command after its loader, a test running `main` again) changes nothing.
 */
const TUNED = Symbol.for("udp-log-shipper.v8-tuning");
const registry = globalThis as { [TUNED]?: WeakMap<TuningProcess, string[]> };
registry[TUNED] ??= new WeakMap<TuningProcess, string[]>();
const tuned = registry[TUNED];

const GROWTH_FLAG = "--semi-space-growth-factor=";

/** Whether applyV8Tuning has run for `proc`. */
export function isTuned(proc: TuningProcess = process): boolean {
  return tuned.has(proc);
}

/**
 * Makes the settings the user did not, now and again each time a worker
 * thread comes online (starting one resets them for the whole process).
 * `semiSpaceGrowthFactor` replaces the settings' 1 (see setSemiSpaceGrowth).
 * Returns the flags set; none when `proc` was tuned before.
 */
export function applyV8Tuning(
  proc: TuningProcess = process,
  semiSpaceGrowthFactor = 1,
): readonly string[] {
  if (tuned.has(proc)) return [];
  const flags = v8Flags(proc.env.NODE_OPTIONS, proc.execArgv).map((flag) =>
    flag.startsWith(GROWTH_FLAG) ? `${GROWTH_FLAG}${semiSpaceGrowthFactor}` : flag,
  );
  tuned.set(proc, flags);
  // Reads `flags` when called: setSemiSpaceGrowth's change holds for later workers.
  const apply = () => {
    for (const flag of flags) setFlagsFromString(flag);
  };
  apply();
  if (flags.length > 0) proc.on("worker", (worker) => worker.once("online", apply));
  return [...flags];
}

/**
 * Sets the semi-space growth factor of `proc`'s settings, now and at each
 * later worker start; false when its settings hold none (not tuned, or the
 * user's own semi-space flag applies).
 */
export function setSemiSpaceGrowth(factor: number, proc: TuningProcess = process): boolean {
  const flags = tuned.get(proc);
  const at = flags?.findIndex((flag) => flag.startsWith(GROWTH_FLAG)) ?? -1;
  if (flags === undefined || at < 0) return false;
  const flag = `${GROWTH_FLAG}${factor}`;
  flags[at] = flag;
  setFlagsFromString(flag);
  return true;
}
