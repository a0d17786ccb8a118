/**
 * The built server's stdout when it cannot take everything: a file on a
 * full filesystem, and a pipe whose reader stops and is still stopped at
 * shutdown. Every entry is either written whole or counted in
 * `output_dropped`, never both, and no line is ever cut.
 */
import { execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningPort, runCommand, stop } from "../support/process.js";

/** `count` datagrams of bare JSON, 100 entries of about 100 bytes each, numbered from `first`. */
function datagrams(count: number, first = 0): Buffer[] {
  const pad = "p".repeat(80);
  return Array.from({ length: count }, (_, d) =>
    Buffer.from(
      JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ n: first + d * 100 + i, pad }))),
    ),
  );
}

async function sendAll(port: number, batch: readonly Buffer[]): Promise<void> {
  const socket = dgram.createSocket("udp4");
  try {
    for (const datagram of batch) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, "127.0.0.1", (error) => (error ? reject(error) : resolve())),
      );
      // Paced so the kernel never drops: what is counted is the output, not the socket.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    socket.close();
  }
}

/** Every line of `text` is a whole JSON entry, and the text ends with its last line's newline. */
function wholeLines(text: string): string[] {
  if (text.length === 0) return [];
  expect(text.endsWith("\n")).toBe(true);
  const lines = text.slice(0, -1).split("\n");
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  return lines;
}

/** True when the entries' `n` only go up. */
function increasing(lines: readonly string[]): boolean {
  const ns = lines.map((line) => (JSON.parse(line) as { n: number }).n);
  return ns.every((n, i) => i === 0 || n > (ns[i - 1] ?? 0));
}

const num = (value: unknown): number => (typeof value === "number" ? value : Number.NaN);

function canMount(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "shipper-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mountable = canMount();
if (!mountable) {
  console.log("skipping the full-disk test: it needs root and `mount -t tmpfs` (Linux)");
}

describe.skipIf(!mountable)("stdout to a file on a full filesystem", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "shipper-full-"));
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir]);
  });
  afterAll(() => {
    execFileSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes whole lines until the disk is full, counts every other entry dropped, and goes on", async () => {
    const path = join(dir, "out.ndjson");
    const fd = openSync(path, "w");
    const server = runCommand("shipper-server", ["--host", "127.0.0.1", "--port", "0"], {
      stdoutFd: fd,
    });
    closeSync(fd);
    const port = await listeningPort(server);
    // 150 x 100 entries of about 100 bytes: 1.5 MB for a 256 KiB filesystem.
    await sendAll(port, datagrams(150));
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    const lines = wholeLines(readFileSync(path, "utf8"));
    expect(num(summary.entries)).toBe(100 * num(summary.datagrams));
    expect(lines.length).toBeGreaterThan(0);
    expect(num(summary.output_dropped)).toBeGreaterThan(0);
    expect(lines.length + num(summary.output_dropped)).toBe(num(summary.entries));
    // The entries written are in order: nothing out of place.
    expect(increasing(lines)).toBe(true);
    expect(server.stderr.some((line) => /ENOSPC/.test(line))).toBe(true);
  });
});

describe.skipIf(process.platform !== "linux")("stdout to a FIFO whose reader stops", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "shipper-fifo-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("counts what the reader got as written, and the rest as dropped, with no line cut", async () => {
    const fifo = join(dir, "out.fifo");
    const outPath = join(dir, "out.ndjson");
    execFileSync("mkfifo", [fifo]);
    const outFd = openSync(outPath, "w");
    const cat = spawn("cat", [fifo], { stdio: ["ignore", outFd, "inherit"] });
    closeSync(outFd);
    const catClosed = once(cat, "close");
    // Opening a FIFO for writing waits for its reader: cat, started above.
    const fd = openSync(fifo, "w");
    const server = runCommand("shipper-server", ["--host", "127.0.0.1", "--port", "0"], {
      stdoutFd: fd,
    });
    closeSync(fd);
    const port = await listeningPort(server);
    await sendAll(port, datagrams(20));
    while (readFileSync(outPath).length === 0) await new Promise((r) => setTimeout(r, 10));
    // The reader stops: the FIFO (64 KiB) and then the server's queue fill up.
    cat.kill("SIGSTOP");
    await sendAll(port, datagrams(130, 2_000));
    // Shutdown waits for stdout (5 s), gives up, and prints the summary while cat is stopped.
    const { code, summary } = await stop(server);
    cat.kill("SIGCONT");
    await catClosed;
    expect(code).toBe(0);
    const lines = wholeLines(readFileSync(outPath, "utf8"));
    expect(num(summary.entries)).toBe(100 * num(summary.datagrams));
    expect(num(summary.output_dropped)).toBeGreaterThan(0);
    expect(lines.length + num(summary.output_dropped)).toBe(num(summary.entries));
    expect(increasing(lines)).toBe(true);
  }, 30_000);
});
