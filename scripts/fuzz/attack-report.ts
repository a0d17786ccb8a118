/**
 * What an attack case came to: its accounting from the server's summary, its
 * goals (stall, peak RSS, nothing unaccounted), and the table printed for a
 * run.
 */
import { REJECT_REASONS } from "../../src/wire/reasons.js";
import type { StoresHeld } from "./attack-combined.js";
import type { Attack } from "./attacks.js";
import { NEW_REASONS } from "./attacks.js";
import type { Summary } from "./checks.js";

const MIB = 1024 * 1024;
/** Goals at default options (issue 11). */
export const GOALS = { stallMs: 50, peakRssMiB: 256 } as const;

const NAMED: ReadonlySet<string> = new Set<string>([...REJECT_REASONS, ...NEW_REASONS]);

const num = (value: unknown): number => (typeof value === "number" ? value : Number.NaN);

function counts(value: unknown): Record<string, number> {
  if (value === null || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).map(([key, count]) => [key, num(count)]));
}

/** What the harness knows beside the summary. */
export interface Observed {
  /** Datagrams the kernel took from the harness (attack, markers, probes). */
  readonly sent: number;
  /** Datagrams of the attack among them. */
  readonly attackSent: number;
  /** Lines the server wrote to stdout. */
  readonly printed: number;
  /** Kernel drops for the port, read before SIGTERM; undefined when not readable. */
  readonly kernelDrops: number | undefined;
  /** Bytes of each datagram of a case that sends one size only (for unread_bytes). */
  readonly datagramBytes?: number;
}

export interface Accounting {
  readonly sent: number;
  /** Datagrams of the attack among them. */
  readonly attack_sent: number;
  readonly datagrams: number;
  readonly kernel_drops: number;
  readonly unread_bytes: number | null;
  /** Datagrams sent that the summary does not show as read, dropped or left unread. */
  readonly datagrams_unaccounted: number;
  /** Rejected whole, by reason (invalid-entry counts elements, and is kept apart). */
  readonly rejected: Record<string, number>;
  readonly duplicates: number;
  readonly accepted_or_held: number;
  readonly entries: number;
  readonly printed: number;
  readonly output_dropped: number;
  /** Entries accepted that are neither on stdout nor in output_dropped. */
  readonly entries_unaccounted: number;
  /** Reasons in the summary that are not named ones (internal-error, or unknown strings). */
  readonly unnamed_reasons: string[];
}

/**
 * Datagrams missing from `datagrams + kernel_drops`, less those the summary's
 * unread_bytes can stand for: the kernel charges each queued datagram its
 * payload plus an overhead under 4 KiB.
 */
function unaccountedDatagrams(missing: number, unread: number | null, size: number | undefined) {
  if (missing <= 0 || unread === null || unread <= 0) return missing;
  if (size === undefined) return 0;
  const fewest = Math.ceil(unread / (size + 4096));
  const most = Math.floor(unread / Math.max(1, size));
  return missing >= fewest && missing <= most ? 0 : missing;
}

export function accountFor(summary: Summary, observed: Observed): Accounting {
  const rejected = counts(summary.rejected);
  const datagrams = num(summary.datagrams);
  const ownDrops = summary.kernel_drops_source === "socket" ? num(summary.kernel_drops) : undefined;
  const kernelDrops = ownDrops ?? observed.kernelDrops ?? 0;
  const unread = typeof summary.unread_bytes === "number" ? summary.unread_bytes : null;
  const duplicates = num(summary.duplicates);
  const entries = num(summary.entries);
  const outputDropped = num(summary.output_dropped);
  let rejectedDatagrams = 0;
  for (const [reason, count] of Object.entries(rejected)) {
    if (reason !== "invalid-entry") rejectedDatagrams += count;
  }
  const missing = observed.sent - datagrams - kernelDrops;
  return {
    sent: observed.sent,
    attack_sent: observed.attackSent,
    datagrams,
    kernel_drops: kernelDrops,
    unread_bytes: unread,
    datagrams_unaccounted: unaccountedDatagrams(missing, unread, observed.datagramBytes),
    rejected: Object.fromEntries(Object.entries(rejected).filter(([, count]) => count !== 0)),
    duplicates,
    accepted_or_held: datagrams - rejectedDatagrams - duplicates,
    entries,
    printed: observed.printed,
    output_dropped: outputDropped,
    entries_unaccounted: entries - observed.printed - outputDropped,
    unnamed_reasons: Object.keys(rejected).filter((r) => !NAMED.has(r) && (rejected[r] ?? 0) > 0),
  };
}

export type Verdict = "pass" | "fail" | "n/a";

export interface AttackResult {
  readonly name: string;
  readonly title: string;
  readonly class: string;
  readonly mode: string;
  readonly facts: Record<string, number | string>;
  /** Stall of each round: ms from sending the attack's last datagram to its marker on stdout. */
  readonly stalls_ms: (number | null)[];
  readonly stall_ms: number | null;
  /** A marker's time to stdout before the attack, alone: the harness's floor. */
  readonly idle_marker_ms: number | null;
  /** Peak RSS (VmHWM) after the attack, reset before it; null when not measured. */
  readonly peak_rss_mib: number | null;
  readonly rss_before_mib: number | null;
  /** The reasons the attack was rejected under, or "accepted" / "held" / "none". */
  readonly reason: string;
  /** True when the reason is one the case's table allows (or it may be accepted). */
  readonly reason_expected: boolean;
  /** Every marker came out and the server did not exit before SIGTERM. */
  readonly server_up: boolean;
  readonly exit_code: number | null;
  readonly accounting: Accounting | null;
  /** What the stats line showed held at the peak (the everything-at-once case). */
  readonly stores?: StoresHeld;
  /** full: every store was past its cap at the peak (n/a for the other cases). */
  readonly goals: { stall: Verdict; rss: Verdict; accounted: Verdict; full: Verdict };
  readonly ok: boolean;
  readonly notes: readonly string[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;
export const mibOf = (bytes: number | undefined) =>
  bytes === undefined ? null : round1(bytes / MIB);

/** The reason column: rejections the attack caused, or what became of it. */
export function reasonOf(attack: Attack, accounting: Accounting | null, heldOrAccepted: string) {
  if (accounting === null) return { reason: "unknown (no summary)", expected: false };
  const seen = Object.entries(accounting.rejected);
  if (seen.length === 0) return { reason: heldOrAccepted, expected: !attack.mustReject };
  const reason = seen.map(([name, count]) => (count === 1 ? name : `${name} x${count}`)).join(", ");
  const allowed = seen.every(([name]) => attack.reasons.includes(name));
  return { reason, expected: allowed };
}

export interface VerdictInput {
  readonly attack: Attack;
  readonly stallMs: number | null;
  readonly peakMiB: number | null;
  readonly serverUp: boolean;
  readonly cleanExit: boolean;
  readonly accounting: Accounting | null;
  readonly stores: StoresHeld | undefined;
}

export function verdicts(input: VerdictInput): AttackResult["goals"] {
  const { attack, stallMs, peakMiB, accounting } = input;
  let stall: Verdict = "n/a";
  if (attack.mode === "message") {
    stall = stallMs !== null && stallMs <= GOALS.stallMs ? "pass" : "fail";
  }
  const rss: Verdict = peakMiB === null ? "n/a" : peakMiB < GOALS.peakRssMiB ? "pass" : "fail";
  const accounted =
    accounting !== null &&
    input.cleanExit &&
    input.serverUp &&
    accounting.entries_unaccounted === 0 &&
    accounting.datagrams_unaccounted === 0 &&
    accounting.unnamed_reasons.length === 0;
  let full: Verdict = "n/a";
  if (attack.mode === "everything-at-once") full = input.stores?.full === true ? "pass" : "fail";
  return { stall, rss, accounted: accounted ? "pass" : "fail", full };
}

const pad = (text: string, width: number) => text.padEnd(width);

/** The run's table, one line per case. */
export function table(results: readonly AttackResult[]): string {
  const head = [
    "case",
    "stall ms",
    "peak MiB",
    "reason",
    "as table",
    "stall",
    "rss",
    "accounted",
    "full",
  ];
  const rows = results.map((r) => [
    r.name,
    r.stall_ms === null ? "none" : String(Math.round(r.stall_ms)),
    r.peak_rss_mib === null ? "n/a" : r.peak_rss_mib.toFixed(1),
    r.reason.length > 40 ? `${r.reason.slice(0, 39)}~` : r.reason,
    r.reason_expected ? "yes" : "no",
    r.goals.stall,
    r.goals.rss,
    r.goals.accounted,
    r.goals.full,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join("  ");
  return [line(head), ...rows.map(line)].map((text) => text.trimEnd()).join("\n");
}
