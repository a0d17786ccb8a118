/**
 * The built server with `--workers 2`: per-stream accounting stays exact
 * across workers, acknowledgements flow, every kind decodes as with one
 * worker, SIGTERM loses nothing received, and bad `--workers` values exit 2.
 */
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type Run, runCommand, sleep, startServer, stop } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const STREAMS = 50;
const SEQS = 20;

/** SEQUENCED (0x02), the stream, the seq, and one entry naming both. */
function framed(stream: number, seq: number): Buffer {
  const header = Buffer.alloc(15);
  header.set([0xcb, 0xf2, 0x02]);
  header.writeUInt32BE(0x5745524b, 3);
  header.writeUInt32BE(stream, 7);
  header.writeUInt32BE(seq, 11);
  return Buffer.concat([header, Buffer.from(`[{"s":${stream},"q":${seq}}]`)]);
}

/**
 * 50 streams of seqs 0..19, interleaved: even streams miss seqs 5 and 12
 * (2 lost each), every fifth stream sends seq 3 twice (1 duplicate), every
 * third sends seq 8 before seq 7 (1 reordered).
 */
function plan() {
  const perStream: Buffer[][] = [];
  const expected = new Set<string>();
  for (let s = 0; s < STREAMS; s++) {
    const seqs: number[] = [];
    for (let q = 0; q < SEQS; q++) {
      if (s % 2 === 0 && (q === 5 || q === 12)) continue;
      seqs.push(q);
      expected.add(`{"s":${s},"q":${q}}`);
      if (s % 5 === 0 && q === 3) seqs.push(q);
    }
    if (s % 3 === 0) seqs.splice(seqs.indexOf(7), 2, 8, 7);
    perStream.push(seqs.map((q) => framed(s, q)));
  }
  const datagrams: Buffer[] = [];
  for (let i = 0; i < SEQS + 1; i++) {
    for (const list of perStream) {
      const datagram = list[i];
      if (datagram !== undefined) datagrams.push(datagram);
    }
  }
  return {
    datagrams,
    expected,
    lost: 25 * 2,
    duplicates: 10,
    reordered: 17,
  };
}

interface Summary {
  readonly [field: string]: unknown;
  readonly datagrams: number;
  readonly entries: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly reordered: number;
  readonly kernel_drops: number;
  readonly unread_bytes: number;
  readonly acks_sent: number;
  readonly rejected: Record<string, number>;
  readonly kinds: Record<string, number>;
}

async function stopped(server: Run) {
  const { code, summary } = await stop(server);
  expect(code).toBe(0);
  return summary as Summary;
}

describe("shipper-server --workers 2", () => {
  it("counts lost, duplicates and reordered exactly over 50 streams; every entry once", async () => {
    const { server, port } = await startServer(["--workers", "2", "--quiet"]);
    const p = plan();
    await sendAll(p.datagrams, port);
    await server.until("stdout", (lines) => lines.length >= p.expected.size);
    const summary = await stopped(server);
    expect(server.stdout.length).toBe(p.expected.size);
    expect(new Set(server.stdout)).toEqual(p.expected);
    expect(summary.datagrams).toBe(p.datagrams.length);
    expect(summary.lost).toBe(p.lost);
    expect(summary.duplicates).toBe(p.duplicates);
    expect(summary.reordered).toBe(p.reordered);
    expect(summary.entries).toBe(p.expected.size);
  });

  it("shows the workers' counters in the metrics at most about 100 ms old while it runs", async () => {
    const { server, port } = await startServer([
      "--workers",
      "2",
      "--quiet",
      "--metrics-port",
      "0",
    ]);
    await server.until("stderr", (lines) => lines.some((line) => line.includes("metrics on")));
    const url = /metrics on (\S+)/.exec(
      server.stderr.find((l) => l.includes("metrics on")) ?? "",
    )?.[1];
    await sleep(300);
    // Each of 4 streams' first frame twice, 2 ms apart: answers come sooner than 100 ms apart.
    for (let s = 1; s <= 4; s++) {
      for (const datagram of [framed(s, 0), framed(s, 0)]) {
        await sendAll([datagram], port);
        await sleep(2);
      }
    }
    await server.until("stdout", (lines) => lines.length >= 4);
    await sleep(250);
    const text = await (await fetch(url ?? "")).text();
    // Stopped before the check, so that a failing one leaves no server behind.
    expect((await stopped(server)).duplicates).toBe(4);
    expect(/^shipper_server_duplicate_messages_total (\d+)$/m.exec(text)?.[1]).toBe("4");
  });

  it("acknowledges a reliable client: every entry once, nothing unacknowledged", async () => {
    const { server, port } = await startServer(["--workers", "2", "--quiet"]);
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const client = runCommand(
      "shipper-client",
      [
        "--target-host",
        "127.0.0.1",
        "--target-port",
        String(port),
        "--reliable",
        "--batch-size",
        "10",
      ],
      { input: `${lines.join("\n")}\n` },
    );
    expect(await client.exited()).toBe(0);
    const sent = JSON.parse(client.stderr.at(-1) ?? "{}") as Record<string, number>;
    expect(sent.unacked).toBe(0);
    expect(sent.acked).toBe(sent.datagrams);
    expect(sent.sent).toBe(lines.length);
    await server.until("stdout", (out) => out.length >= lines.length);
    const summary = await stopped(server);
    const messages = server.stdout.map((l) => (JSON.parse(l) as { message: string }).message);
    expect(new Set(messages)).toEqual(new Set(lines));
    expect(messages.length).toBe(lines.length);
    expect(summary.acks_sent).toBeGreaterThanOrEqual(sent.datagrams ?? 1);
  });
});

/** A GELF message cut in two chunks under one 8-byte message id. */
function gelfChunks(id: number, message: object): Buffer[] {
  const body = Buffer.from(JSON.stringify(message));
  const half = Math.ceil(body.length / 2);
  return [body.subarray(0, half), body.subarray(half)].map((part, index) => {
    const head = Buffer.alloc(12);
    head.set([0x1e, 0x0f]);
    head.writeUInt32BE(0x47454c46, 2);
    head.writeUInt32BE(id, 6);
    head.set([index, 2], 10);
    return Buffer.concat([head, part]);
  });
}

/** Every kind, good and bad: syslog, chunked GELF, bare JSON, the Python shipper's CB F2 01. */
function mixed(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    out.push(
      Buffer.from(
        `<134>1 2026-12-07T06:00:00.${String(i).padStart(3, "0")}Z web-1 shop - - - sold ${i}`,
      ),
    );
    out.push(
      ...gelfChunks(i, {
        version: "1.1",
        host: "h",
        short_message: `gelf ${i}`,
        timestamp: 1765087200 + i,
      }),
    );
    out.push(Buffer.from(`{"message":"bare ${i}","timestamp":"2026-12-07T06:00:00Z"}`));
    const python = deflateSync(Buffer.from(JSON.stringify([{ message: `python ${i}`, n: i }])));
    out.push(Buffer.concat([Buffer.from([0xcb, 0xf2, 0x01]), python]));
  }
  out.push(Buffer.from("{not json"), Buffer.from([0x00, 0x01, 0x02]));
  out.push(Buffer.from("<999>1 2026-12-07T06:00:00Z h a - - - bad pri"));
  out.push(...gelfChunks(999, { version: "1.1", host: "h" }));
  out.push(Buffer.from([0xcb, 0xf2, 0x01, 0x78, 0x9c, 0x01]));
  return out;
}

async function decodeWith(workers: number, datagrams: Buffer[], entries: number) {
  const { server, port } = await startServer(["--workers", String(workers), "--quiet"]);
  await sendAll(datagrams, port);
  await server.until("stdout", (lines) => lines.length >= entries);
  const summary = await stopped(server);
  return { lines: [...server.stdout].sort(), summary };
}

describe("every kind with workers", () => {
  it("gives the same entries and rejections with 2 workers as with 1", async () => {
    const datagrams = mixed();
    const one = await decodeWith(1, datagrams, 160);
    const two = await decodeWith(2, datagrams, 160);
    expect(one.lines.length).toBe(160);
    expect(two.lines).toEqual(one.lines);
    expect(two.summary.rejected).toEqual(one.summary.rejected);
    expect(two.summary.kinds).toEqual(one.summary.kinds);
    expect(one.summary.rejected).toMatchObject({
      "invalid-json": 1,
      "unknown-format": 1,
      "invalid-syslog": 1,
      "invalid-gelf": 1,
      "invalid-compression": 1,
    });
  });
});

describe("SIGTERM with workers", () => {
  it("decodes and writes everything received before the signal", async () => {
    const { server, port } = await startServer(["--workers", "2", "--quiet"]);
    const datagrams = Array.from({ length: 4000 }, (_, i) => framed(i % 8, Math.floor(i / 8)));
    await sendAll(datagrams, port);
    const summary = await stopped(server);
    expect(summary.unread_bytes).toBe(0);
    expect(summary.datagrams + summary.kernel_drops).toBe(datagrams.length);
    expect(summary.entries).toBe(summary.datagrams);
    expect(server.stdout.length).toBe(summary.entries);
    expect(new Set(server.stdout).size).toBe(server.stdout.length);
  });
});

describe("--workers values", () => {
  it.each([["0"], ["65"], ["two"], ["1.5"], ["-1"]])("exits 2 on --workers %s", async (value) => {
    const run = runCommand("shipper-server", ["--port", "0", "--workers", value]);
    expect(await run.exited()).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain("--workers");
  });

  it("exits 2 on a bad WORKERS and starts with WORKERS=auto", async () => {
    const bad = runCommand("shipper-server", ["--port", "0"], { env: { WORKERS: "many" } });
    expect(await bad.exited()).toBe(2);
    expect(bad.stderr).toHaveLength(1);
    const { server } = await startServer(["--quiet"], { WORKERS: "auto" });
    expect((await stop(server)).code).toBe(0);
  });
});
