/**
 * Fuzzes the built `shipper-server` over loopback and prints a JSON report:
 *
 *   npm run fuzz                               (100,000 datagrams, seed 1)
 *   npm run fuzz -- --count 200000 --seed 7 --rss-bound-mib 320
 *
 * Then the attack suite (scripts/fuzz/attack-run.ts), whose JSON report
 * follows the fuzz report on stdout: `--attacks-only` runs it alone,
 * `--no-attacks` skips it.
 *
 * Exits 0 when every check and goal passed, 1 when one failed, 2 on a usage
 * error. Progress goes to stderr, the report to stdout.
 */
import { parseArgs } from "node:util";
import {
  ATTACK_ARGS,
  ATTACK_USAGE,
  readAttackOptions,
  runAttackCommand,
} from "./fuzz/attack-cli.js";
import { DEFAULT_RSS_BOUND_MIB, runFuzz } from "./fuzz/run.js";

const USAGE = `usage: tsx scripts/fuzz.ts [--count N] [--seed N] [--rss-bound-mib N] [--flood N] [--quiet] ${ATTACK_USAGE}`;

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`--${name} must be an integer >= ${min}, got ${raw}`);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof readOptions>;
  try {
    options = readOptions(argv);
  } catch (error) {
    process.stderr.write(
      `fuzz: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
    );
    return 2;
  }
  const log = options.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  let ok = true;
  if (!options.attacks.only) {
    const report = await runFuzz({ ...options, ...(log === undefined ? {} : { log }) });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    for (const check of report.checks) {
      process.stderr.write(`fuzz: ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}\n`);
    }
    ok = report.ok;
  }
  if (options.attacks.run) ok = (await runAttackCommand(options.attacks, log)) && ok;
  return ok ? 0 : 1;
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: "string" },
      seed: { type: "string" },
      "rss-bound-mib": { type: "string" },
      flood: { type: "string" },
      quiet: { type: "boolean" },
      ...ATTACK_ARGS,
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    count: integer("count", values.count, 100_000, 1),
    seed: integer("seed", values.seed, 1, 0),
    rssBoundMiB: integer("rss-bound-mib", values["rss-bound-mib"], DEFAULT_RSS_BOUND_MIB, 1),
    floodMessages: integer("flood", values.flood, 1200, 0),
    quiet: values.quiet === true,
    attacks: readAttackOptions(values),
  };
}

process.exitCode = await main(process.argv.slice(2));
