/**
 * The built server acknowledging a hand-made reliable sender, across a
 * `kill -9` and a restart on the same port: every entry is output at least
 * once, to stdout (a pipe) and to a file, and what is output twice is only
 * what the killed server had output but not acknowledged.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Run, sleep, startServer, stop } from "../support/process.js";
import { ResendingClient } from "../support/resending-client.js";

const root = mkdtempSync(join(tmpdir(), "shipper-acks-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MESSAGES = 3000;
const PER_MESSAGE = 5;

/**
 * The entry numbers of `lines`. A kill -9 can cut the last write of the
 * killed server: at most one line that does not parse is allowed (and left
 * out: its message was not acknowledged, so it is sent again).
 */
function numbers(lines: readonly string[]): number[] {
  const out: number[] = [];
  let cut = 0;
  for (const line of lines) {
    if (line === "") continue;
    try {
      out.push((JSON.parse(line) as { n: number }).n);
    } catch {
      cut++;
    }
  }
  expect(cut).toBeLessThanOrEqual(1);
  return out;
}
const seqOf = (n: number) => Math.floor(n / PER_MESSAGE);

/** Numbers that occur more than once in `list`. */
function repeated(list: readonly number[]): number[] {
  const seen = new Set<number>();
  const twice: number[] = [];
  for (const n of list) {
    if (seen.has(n)) twice.push(n);
    seen.add(n);
  }
  return twice;
}

describe("shipper-server acknowledgements across a kill -9", () => {
  it("outputs every entry at least once; duplicates only of what was output and not acknowledged", async () => {
    const path = join(root, "out.ndjson");
    const args = ["--quiet", "--output", "stdout", "--output", `file:${path}`];
    const first = await startServer(args);
    const port = first.port;
    const client = new ResendingClient({ messages: MESSAGES, entriesPerMessage: PER_MESSAGE });
    await client.open();
    let second: Run | undefined;
    let ackedBeforeRestart = new Set<number>();
    let restarting: Promise<void> | undefined;
    const restart = async () => {
      first.server.child.kill("SIGKILL");
      await first.server.exited();
      await sleep(1000);
      // Acknowledgements the old server sent have all arrived by now.
      ackedBeforeRestart = new Set(client.acked);
      second = (await startServer(["--port", String(port), ...args])).server;
    };
    await client.run(
      () => port,
      () => {
        if (restarting === undefined && client.acked.size >= MESSAGES / 3) restarting = restart();
      },
    );
    await restarting;
    client.close();
    if (second === undefined) throw new Error("never restarted");
    const { code, summary } = await stop(second);
    expect(code).toBe(0);

    const oldOut = numbers(first.server.stdout);
    const newOut = numbers(second.stdout);
    const all = Array.from({ length: MESSAGES * PER_MESSAGE }, (_, n) => n);
    // At least once, on both outputs.
    expect(new Set([...oldOut, ...newOut])).toEqual(new Set(all));
    const fileOut = numbers(readFileSync(path, "utf8").split("\n"));
    expect(new Set(fileOut)).toEqual(new Set(all));
    // Never twice from one server, resends included.
    expect(repeated(oldOut)).toEqual([]);
    expect(repeated(newOut)).toEqual([]);
    // Twice only what the old server output and had not acknowledged.
    const outputNotAcked = new Set(oldOut.filter((n) => !ackedBeforeRestart.has(seqOf(n))));
    const twice = repeated([...oldOut, ...newOut]);
    for (const n of twice) expect(outputNotAcked.has(n)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(outputNotAcked.size);
    for (const n of repeated(fileOut)) expect(ackedBeforeRestart.has(seqOf(n))).toBe(false);
    expect(client.resent).toBeGreaterThan(0);
    expect(summary).toMatchObject({ acks_skipped: 0 });
    expect(summary.acks_sent as number).toBeGreaterThanOrEqual(MESSAGES - ackedBeforeRestart.size);
  }, 120_000);
});
