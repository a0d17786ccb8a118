/**
 * The checks of a fuzz run, from what was sent, what the kernel dropped, the
 * server's summary, its stdout and memory, and the reference tally.
 */
import type { Tally } from "./reference.js";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export type Summary = Record<string, unknown>;

const num = (value: unknown): number => (typeof value === "number" ? value : Number.NaN);

function counts(value: unknown): Record<string, number> {
  if (value === null || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).map(([key, count]) => [key, num(count)]));
}

const sum = (values: Record<string, number>): number =>
  Object.values(values).reduce((total, value) => total + value, 0);

/** The summary's own accounting: what it says, and what it cannot say. */
export function summaryAccounting(summary: Summary) {
  const rejected = counts(summary.rejected);
  const rejectedDatagrams = sum(rejected) - (rejected["invalid-entry"] ?? 0);
  const datagrams = num(summary.datagrams);
  const duplicates = num(summary.duplicates);
  return {
    datagrams,
    rejected_datagrams: rejectedDatagrams,
    duplicates,
    /** Datagrams the summary has no counter for: accepted batches plus fragments held. */
    accepted_or_held: datagrams - rejectedDatagrams - duplicates,
    kinds_total: sum(counts(summary.kinds)),
  };
}

/**
 * The server read every datagram sent but those the kernel dropped (read from
 * /proc for its port); when the summary reports its own socket's drops, they
 * must be the same figure.
 */
export function receivedCheck(summary: Summary, sent: number, kernelDrops: number | undefined) {
  const datagrams = num(summary.datagrams);
  const drops = kernelDrops ?? 0;
  const note = kernelDrops === undefined ? " (kernel drops not readable: taken as 0)" : "";
  const own = summary.kernel_drops_source === "socket" ? num(summary.kernel_drops) : undefined;
  const agree = own === undefined || kernelDrops === undefined || own === kernelDrops;
  const told = own === undefined ? "" : `, summary kernel_drops ${own}`;
  return {
    name: "received",
    ok: datagrams === sent - drops && agree,
    detail: `server read ${datagrams}, sent ${sent}, kernel drops ${drops}${note}${told}`,
  };
}

export function decodedCheck(summary: Summary): Check {
  const accounting = summaryAccounting(summary);
  const internal = counts(summary.rejected)["internal-error"] ?? 0;
  const ok =
    accounting.kinds_total === accounting.datagrams &&
    internal === 0 &&
    accounting.accepted_or_held >= 0;
  return {
    name: "every-datagram-decoded",
    ok,
    detail:
      `kinds total ${accounting.kinds_total} of ${accounting.datagrams} datagrams, ` +
      `internal-error ${internal}, ${accounting.rejected_datagrams} rejected whole + ` +
      `${accounting.duplicates} duplicates + ${accounting.accepted_or_held} accepted or held`,
  };
}

/** Field by field, the summary against the reference; empty when they agree. */
export function mismatches(summary: Summary, expected: Tally): string[] {
  const out: string[] = [];
  const compare = (what: string, got: number, want: number) => {
    if (got !== want) out.push(`${what}: server ${got}, expected ${want}`);
  };
  compare("datagrams", num(summary.datagrams), expected.datagrams);
  compare("entries", num(summary.entries), expected.entries);
  compare("duplicates", num(summary.duplicates), expected.duplicates);
  const rejected = counts(summary.rejected);
  for (const reason of new Set([...Object.keys(rejected), ...Object.keys(expected.rejected)])) {
    compare(`rejected.${reason}`, rejected[reason] ?? 0, expected.rejected[reason] ?? 0);
  }
  const kinds = counts(summary.kinds);
  for (const kind of new Set([...Object.keys(kinds), ...Object.keys(expected.kinds)])) {
    compare(`kinds.${kind}`, kinds[kind] ?? 0, expected.kinds[kind] ?? 0);
  }
  return out;
}

export function accountedCheck(
  summary: Summary,
  expected: Tally,
  kernelDrops: number | undefined,
): Check {
  const whole =
    expected.accepted + expected.pending + expected.duplicates + expected.rejectedDatagrams;
  const split =
    `${expected.accepted} accepted, ${expected.pending} held fragments, ` +
    `${expected.duplicates} duplicates, ${expected.rejectedDatagrams} rejected`;
  if ((kernelDrops ?? 0) > 0) {
    const accounting = summaryAccounting(summary);
    return {
      name: "accounted",
      ok: accounting.accepted_or_held >= 0,
      detail: `${kernelDrops} kernel drops: which datagrams were lost is unknown, so only the summary's own totals are checked`,
    };
  }
  const found = mismatches(summary, expected);
  if (whole !== expected.datagrams) found.push(`reference split ${whole} != ${expected.datagrams}`);
  return {
    name: "accounted",
    ok: found.length === 0,
    detail: found.length === 0 ? `every datagram: ${split}` : found.join("; "),
  };
}

export function outputCheck(summary: Summary, stdoutLines: number): Check {
  const entries = num(summary.entries);
  const dropped = num(summary.output_dropped);
  return {
    name: "output",
    ok: stdoutLines + dropped === entries,
    detail: `${stdoutLines} stdout lines + ${dropped} output_dropped, ${entries} entries`,
  };
}

export function memoryCheck(peakBytes: number | undefined, boundBytes: number): Check {
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  if (peakBytes === undefined) {
    return { name: "memory", ok: true, detail: "not measured: /proc/PID/status not readable" };
  }
  return {
    name: "memory",
    ok: peakBytes <= boundBytes,
    detail: `peak RSS (VmHWM) ${mib(peakBytes)} MiB, bound ${mib(boundBytes)} MiB`,
  };
}
