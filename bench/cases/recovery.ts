/**
 * Recovery after an outage: `shipper-client --reliable` (batch 50, no
 * compression, its input kept open) sends numbered entries through the
 * test proxy (test/support/udp-proxy.ts, no impairment: one more hop and
 * its buffers, as on a network) to a real shipper-server on loopback; once
 * the server has output a quarter of them it
 * is killed with SIGKILL, and a new one starts on the same port
 * RECOVERY_OUTAGE_MS later. Measured from the new server's start until every
 * entry was output by one server or the other: the seconds it took, and the
 * entries the new server had to output per second (those the killed one had
 * not), from its start and from its first line (the latter leaves out the
 * wait for the client's next probe).
 *
 * With BENCH_BASELINE_ROOT set to another built checkout (a directory with
 * bin/ and dist/), its client runs too, alternating run by run with this
 * one against the same server build: the ratio compares them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { ROOT, sleep, TextSink } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { UdpProxy } from "../../test/support/udp-proxy.js";
import { count, fixed, table } from "../lib/format.js";
import { median, perSecond, ratio } from "../lib/stats.js";

export const RECOVERY_ENTRIES = Number(process.env.BENCH_RECOVERY_ENTRIES ?? 100_000);
export const RECOVERY_OUTAGE_MS = 10_000;
const GIVE_UP_MS = 240_000;

export interface RecoveryRun {
  readonly client: string;
  /** From the new server's start until every entry was out. */
  readonly recoverySeconds: number;
  /** Entries left to the new server, per second from its start. */
  readonly entriesPerSecond: number;
  /** The same, from the new server's first line. */
  readonly entriesPerSecondFromFirst: number;
  readonly retransmits: number;
  readonly exitCode: number | null;
}

/** Which entry numbers a server's stdout carried, read as it streams. */
class Seen {
  constructor(
    readonly times: Uint8Array,
    readonly other?: Seen,
  ) {}
  distinct = 0;
  /** Entries no server before this one had output, now output. */
  fresh = 0;
  firstAt = Number.NaN;
  #carry = "";

  read(child: ChildProcess): void {
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      if (Number.isNaN(this.firstAt)) this.firstAt = performance.now();
      const text = this.#carry + chunk;
      const end = text.lastIndexOf("\n") + 1;
      this.#carry = text.slice(end);
      for (const match of text.slice(0, end).matchAll(/"n":(\d+)/g)) this.#saw(Number(match[1]));
    });
  }

  #saw(n: number): void {
    if (n >= this.times.length || this.times[n] === 1) return;
    this.times[n] = 1;
    this.distinct++;
    if (this.other?.times[n] !== 1) this.fresh++;
  }
}

/** Polls `check` every 20 ms; false once `timeoutMs` passed. */
async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) return false;
    await sleep(20);
  }
  return true;
}

function numberedLines(entries: number): Buffer {
  const parts: string[] = [];
  for (let n = 0; n < entries; n++) parts.push(`{"n":${n},"message":"entry ${n}"}\n`);
  return Buffer.from(parts.join(""));
}

async function runOnce(root: string, name: string, input: Buffer): Promise<RecoveryRun> {
  const first = await ServerProcess.start({ args: ["--quiet"], stdout: "pipe" });
  const old = new Seen(new Uint8Array(RECOVERY_ENTRIES));
  old.read(first.child);
  const proxy = await UdpProxy.start({ targetPort: first.port });
  const args = ["--target-host", "127.0.0.1", "--target-port", String(proxy.port), "--reliable"];
  args.push("--json-format", "raw", "--batch-size", "50", "--no-compress", "--ack-timeout", "300");
  const client = spawn(process.execPath, [`${root}bin/shipper-client.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "ignore", "pipe"],
  });
  const stderr = new TextSink(client.stderr);
  const exited = new Promise<number | null>((resolve) => client.once("exit", resolve));
  client.stdin?.write(input);
  await waitFor(() => old.distinct >= RECOVERY_ENTRIES / 4, GIVE_UP_MS);
  const killed = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await killed;
  await sleep(RECOVERY_OUTAGE_MS);
  const second = await ServerProcess.start({
    args: ["--quiet", "--port", String(first.port)],
    stdout: "pipe",
  });
  const started = performance.now();
  const now = new Seen(new Uint8Array(RECOVERY_ENTRIES), old);
  now.read(second.child);
  const left = RECOVERY_ENTRIES - old.distinct;
  await waitFor(() => now.fresh >= left, GIVE_UP_MS);
  const done = performance.now();
  client.stdin?.end();
  const exitCode = await exited;
  await second.stop();
  await proxy.close();
  const summary = stderr.lastJson() ?? {};
  return {
    client: name,
    recoverySeconds: (done - started) / 1000,
    entriesPerSecond: perSecond(now.fresh, (done - started) / 1000),
    entriesPerSecondFromFirst: perSecond(now.fresh, (done - now.firstAt) / 1000),
    retransmits: Number(summary.retransmits ?? 0),
    exitCode,
  };
}

export interface RecoveryResult {
  readonly runs: RecoveryRun[];
  /** Median of this client's rate over the baseline's (from the first line); NaN without one. */
  readonly ratio: number;
}

export async function runRecovery(runs: number): Promise<RecoveryResult> {
  const input = numberedLines(RECOVERY_ENTRIES);
  const baseline = process.env.BENCH_BASELINE_ROOT;
  const all: RecoveryRun[] = [];
  for (let i = 0; i < runs; i++) {
    if (baseline !== undefined)
      all.push(await runOnce(`${baseline.replace(/\/?$/, "/")}`, "baseline", input));
    all.push(await runOnce(ROOT, "this tree", input));
  }
  const rate = (name: string) =>
    median(all.filter((r) => r.client === name).map((r) => r.entriesPerSecondFromFirst));
  return { runs: all, ratio: ratio(rate("this tree"), rate("baseline")) };
}

export function recoveryTable(result: RecoveryResult): string {
  const names = [...new Set(result.runs.map((r) => r.client))];
  const spread = (xs: number[]) =>
    `${count(median(xs))} (${count(Math.min(...xs))}..${count(Math.max(...xs))})`;
  const rows = names.map((name) => {
    const runs = result.runs.filter((r) => r.client === name);
    return [
      name,
      `${fixed(median(runs.map((r) => r.recoverySeconds)))} (${runs.map((r) => fixed(r.recoverySeconds)).join(" ")})`,
      spread(runs.map((r) => r.entriesPerSecond)),
      spread(runs.map((r) => r.entriesPerSecondFromFirst)),
      count(median(runs.map((r) => r.retransmits))),
    ];
  });
  const header = ["client", "recovery s", "entries/s", "entries/s from 1st line", "retransmits"];
  const lines = [
    `recovery after a ${RECOVERY_OUTAGE_MS / 1000} s outage (kill -9, restart on the port), ${count(RECOVERY_ENTRIES)} entries, batch 50:`,
    table(header, rows),
  ];
  if (Number.isFinite(result.ratio))
    lines.push(`this tree / baseline (entries/s from 1st line): ${fixed(result.ratio, 1)}x`);
  return lines.join("\n");
}
