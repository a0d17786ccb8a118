/**
 * The attack suite's part of `npm run fuzz`: its options, and the run that
 * prints its table (stderr) and its JSON report (stdout, after the fuzz
 * report).
 */
import { pickAttacks, runAttacks } from "./attack-run.js";
import type { Scale } from "./attacks.js";

export const ATTACK_USAGE =
  "[--attacks-only | --no-attacks] [--attack-scale short|long] [--attack-rounds N] [--attack NAME]...";

/** Options for node:util parseArgs. */
export const ATTACK_ARGS = {
  "attacks-only": { type: "boolean" },
  "no-attacks": { type: "boolean" },
  "attack-scale": { type: "string" },
  "attack-rounds": { type: "string" },
  attack: { type: "string", multiple: true },
} as const;

export interface AttackCommandOptions {
  /** Run the attack suite. */
  readonly run: boolean;
  /** Run it alone, without the random fuzz run. */
  readonly only: boolean;
  readonly scale: Scale;
  readonly rounds: number | undefined;
  readonly cases: readonly string[];
}

interface AttackValues {
  readonly "attacks-only"?: boolean | undefined;
  readonly "no-attacks"?: boolean | undefined;
  readonly "attack-scale"?: string | undefined;
  readonly "attack-rounds"?: string | undefined;
  readonly attack?: string[] | undefined;
}

/** Validates the attack options; throws an Error naming the option on a bad value. */
export function readAttackOptions(values: AttackValues): AttackCommandOptions {
  const only = values["attacks-only"] === true;
  if (only && values["no-attacks"] === true) {
    throw new Error("--attacks-only and --no-attacks exclude each other");
  }
  const scale = values["attack-scale"] ?? "long";
  if (scale !== "short" && scale !== "long") {
    throw new Error(`--attack-scale must be short or long, got ${scale}`);
  }
  const raw = values["attack-rounds"];
  const rounds = raw === undefined ? undefined : Number(raw);
  if (rounds !== undefined && (!Number.isSafeInteger(rounds) || rounds < 1)) {
    throw new Error(`--attack-rounds must be an integer >= 1, got ${raw}`);
  }
  const cases = values.attack ?? [];
  pickAttacks(cases);
  return { run: values["no-attacks"] !== true, only, scale, rounds, cases };
}

/** Runs the suite; true when every case met every goal. */
export async function runAttackCommand(
  options: AttackCommandOptions,
  log: ((line: string) => void) | undefined,
): Promise<boolean> {
  const report = await runAttacks({
    scale: options.scale,
    only: options.cases,
    ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
    ...(log === undefined ? {} : { log }),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`attacks (${report.scale}, ${report.rounds} round(s) per case):\n`);
  process.stderr.write(`${report.table}\n`);
  for (const result of report.results) {
    if (result.ok) continue;
    const failed = Object.entries(result.goals).filter(([, verdict]) => verdict === "fail");
    process.stderr.write(
      `attacks: FAIL ${result.name}: ${failed.map(([goal]) => goal).join(", ")}` +
        `${result.notes.length > 0 ? ` (${result.notes.join("; ")})` : ""}\n`,
    );
  }
  return report.ok;
}
