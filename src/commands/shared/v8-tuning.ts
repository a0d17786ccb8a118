/**
 * The V8 settings both commands make before they load, to keep their
 * resident memory down under a steady stream of work. A setting of the
 * user's own, on the command line or in NODE_OPTIONS, is left to apply
 * instead. Both are read by V8 each time it uses them, so setting them once
 * the process runs works (--max-semi-space-size, by contrast, works only at
 * start).
 *
 * - `--semi-space-growth-factor=1`: the young generation stays at its
 *   initial 1 MiB semi-spaces instead of growing to 16 MiB ones.
 * - `--heap-growing-percent=20`: the old generation grows by 20 % between
 *   full collections instead of up to 4 times. Most of what reaches it is
 *   garbage (sends and frames in the client; datagrams, parsed entries and
 *   output blocks in the server), and collecting it sooner keeps less
 *   resident. The first setting needs this one: with small semi-spaces more
 *   reaches the old generation, which would otherwise grow all the more.
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
 * Makes the settings the user did not, now and again each time a worker
 * thread comes online (starting one resets them for the whole process).
 * Returns the flags set.
 */
export function applyV8Tuning(proc: TuningProcess = process): readonly string[] {
  const flags = v8Flags(proc.env.NODE_OPTIONS, proc.execArgv);
  const apply = () => {
    for (const flag of flags) setFlagsFromString(flag);
  };
  apply();
  if (flags.length > 0) proc.on("worker", (worker) => worker.once("online", apply));
  return flags;
}
