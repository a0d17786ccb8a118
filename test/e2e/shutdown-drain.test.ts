/**
 * SIGTERM while the socket's receive queue is full: the built server reads
 * what the kernel had already queued before it closes the socket, so every
 * datagram sent is in `datagrams` or `kernel_drops`, and `unread_bytes` says
 * what was left (0 here). Sends are paced on the socket's queue as
 * /proc/net/udp shows it, so the queue is deep at SIGTERM but never full.
 */
import dgram from "node:dgram";
import { describe, expect, it } from "vitest";
import { udpRows } from "../../src/server/kernel-drops.js";
import { type Run, startServer, stop } from "../support/process.js";

const SENT = 20_000;
const BATCH = 200;
const ASKED_BUFFER = 4 * 1024 * 1024;
const STREAM = Buffer.from("5348555444574e31", "hex");

/** SEQUENCED (flags 0x02), the stream, seq, and one entry. */
function framed(seq: number): Buffer {
  const header = Buffer.alloc(15);
  header.set([0xcb, 0xf2, 0x02]);
  STREAM.copy(header, 3);
  header.writeUInt32BE(seq, 11);
  return Buffer.concat([header, Buffer.from(`[{"n":${seq}}]`)]);
}

/** Bytes queued on the server's socket now (the kernel's charge, overhead included). */
function queuedBytes(port: number): number {
  return udpRows().find((row) => row.localPort === port)?.rxQueueBytes ?? 0;
}

function grantedBuffer(server: Run): number {
  for (const line of server.stderr) {
    const match = /receive buffer (\d+) bytes granted/.exec(line);
    if (match) return Number(match[1]);
  }
  return ASKED_BUFFER;
}

/**
 * Sends `seqs` in order from one socket, a batch at a time; before each
 * batch, waits while the server's queue is past half its buffer.
 */
async function sendPaced(seqs: readonly number[], port: number, buffer: number): Promise<number> {
  const socket = dgram.createSocket("udp4");
  let deepest = 0;
  try {
    for (let at = 0; at < seqs.length; at += BATCH) {
      for (let queued = queuedBytes(port); queued > buffer / 2; queued = queuedBytes(port)) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const sends = seqs
        .slice(at, at + BATCH)
        .map(
          (seq) =>
            new Promise<void>((resolve, reject) =>
              socket.send(framed(seq), port, "127.0.0.1", (error) =>
                error ? reject(error) : resolve(),
              ),
            ),
        );
      await Promise.all(sends);
      deepest = Math.max(deepest, queuedBytes(port));
    }
  } finally {
    socket.close();
  }
  return deepest;
}

describe.runIf(process.platform === "linux")("SIGTERM with datagrams queued", () => {
  it("reads what the kernel queued before closing: every datagram sent is counted", async () => {
    const { server, port } = await startServer([
      "--buffer-size",
      String(ASKED_BUFFER),
      "--stats-interval",
      "0",
    ]);
    const seqs = Array.from({ length: SENT }, (_, seq) => seq);
    await sendPaced(seqs, port, grantedBuffer(server));
    const queuedAtStop = queuedBytes(port);
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(summary.kernel_drops_source).toBe("socket");
    const drops = summary.kernel_drops as number;
    const datagrams = summary.datagrams as number;
    expect(
      { sum: datagrams + drops, unread_bytes: summary.unread_bytes },
      `${queuedAtStop} bytes queued at SIGTERM`,
    ).toEqual({ sum: SENT, unread_bytes: 0 });
    expect({ drops, lost: summary.lost }).toEqual({ drops: 0, lost: 0 });
    expect(summary.entries).toBe(SENT);
    expect(server.stdout).toHaveLength(summary.entries as number);
  });

  it("counts the gaps still open at SIGTERM as lost", async () => {
    const { server, port } = await startServer(["--stats-interval", "0"]);
    const missing = new Set([3, 10, 11, 500, 998]);
    const seqs = Array.from({ length: 1000 }, (_, seq) => seq).filter((seq) => !missing.has(seq));
    await sendPaced(seqs, port, grantedBuffer(server));
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(summary.kernel_drops).toBe(0);
    expect(summary.datagrams).toBe(seqs.length);
    expect(summary.lost).toBe(missing.size);
    expect(server.stdout).toHaveLength(seqs.length);
  });
});
