/**
 * The built `shipper-client`'s compression thread starts at the first batch
 * large enough to go to it, not before the first line: a short input never
 * starts it, a long one does, and either way the datagrams carry seqs
 * 0, 1, 2... in batch order and every line arrives in order. Every
 * `--compression-level` gives datagrams the receiver decodes to the same
 * entries.
 */
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { decodeFrame } from "../../src/wire/frame.js";
import { runCommand, summaryOf } from "../support/process.js";

/** Loaded into the client by NODE_OPTIONS: writes how many worker threads started. */
const PROBE = `
import { writeFileSync } from "node:fs";
let workers = 0;
process.on("worker", () => { workers += 1; });
process.on("exit", () => writeFileSync(process.env.PROBE_OUT, String(workers)));
`;

/** Every datagram as it came, with its seq. */
class Catcher {
  readonly datagrams: { seq: number; bytes: Buffer }[] = [];
  constructor(readonly socket: Socket) {
    socket.on("message", (bytes) => {
      const frame = decodeFrame(bytes);
      this.datagrams.push({ seq: frame.ok ? (frame.value.seq ?? -1) : -1, bytes });
    });
  }

  static async start(): Promise<Catcher> {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    socket.setRecvBufferSize(8 * 1024 * 1024);
    return new Catcher(socket);
  }

  /** The entries' messages, datagrams taken in seq order. */
  messages(): string[] {
    const decoder = createDecoder({ now: () => performance.now() });
    const ordered = [...this.datagrams].sort((a, b) => a.seq - b.seq);
    return ordered.flatMap(({ bytes }) =>
      decoder.decode(bytes).entries.map((entry) => String(JSON.parse(entry).message)),
    );
  }
}

let dir: string;
let probe: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipper-thread-"));
  probe = join(dir, "probe.mjs");
  await writeFile(probe, PROBE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const lines = (count: number) =>
  Array.from({ length: count }, (_, i) => `request ${i} handled in ${i % 97} ms`);

async function ship(catcher: Catcher, input: string[], args: string[] = []) {
  const out = join(dir, `workers-${Math.random()}`);
  const client = runCommand(
    "shipper-client",
    ["--target-host", "127.0.0.1", "--target-port", String(catcher.socket.address().port)]
      .concat(["--batch-size", "100", "--parse", "none"])
      .concat(args),
    {
      env: { NODE_OPTIONS: `--import=${pathToFileURL(probe).href}`, PROBE_OUT: out },
      input: `${input.join("\n")}\n`,
    },
  );
  const code = await client.exited();
  const summary = summaryOf(client);
  // Loopback delivers at once; give the receiver's event loop a moment to read them all.
  for (let i = 0; i < 100 && catcher.datagrams.length < Number(summary.datagrams); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { code, summary, workers: Number(await readFile(out, "utf8")) };
}

describe("shipper-client's compression thread", () => {
  let catcher: Catcher;
  beforeEach(async () => {
    catcher = await Catcher.start();
  });
  afterEach(() => catcher.socket.close());

  it("never starts for a short input; seq 0, every line in order", async () => {
    const input = lines(10);
    const { code, summary, workers } = await ship(catcher, input);
    expect(code).toBe(0);
    expect(workers).toBe(0);
    expect(summary.datagrams).toBe(1);
    expect(catcher.datagrams.map((d) => d.seq)).toEqual([0]);
    expect(catcher.messages()).toEqual(input);
  });

  it("starts at the first large batch; seqs 0..n-1 and every line in order", async () => {
    const input = lines(30_000);
    const { code, summary, workers } = await ship(catcher, input);
    expect(code).toBe(0);
    expect(workers).toBe(1);
    const count = Number(summary.datagrams);
    expect(count).toBeGreaterThanOrEqual(300);
    const seqs = catcher.datagrams.map((d) => d.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(catcher.messages()).toEqual(input);
  });

  it("with --no-compress-thread, never starts one", async () => {
    const input = lines(5000);
    const { code, workers } = await ship(catcher, input, ["--no-compress-thread"]);
    expect(code).toBe(0);
    expect(workers).toBe(0);
    expect(catcher.messages()).toEqual(input);
  });
});

describe("shipper-client --compression-level", () => {
  let catcher: Catcher;
  beforeEach(async () => {
    catcher = await Catcher.start();
  });
  afterEach(() => catcher.socket.close());

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])("level %i: every line arrives as sent", async (level) => {
    // Batches of 100 go to the thread; the last, short one is compressed here.
    const input = lines(1050);
    const { code, summary } = await ship(catcher, input, ["--compression-level", String(level)]);
    expect(code).toBe(0);
    expect(summary.dropped).toBe(0);
    expect(catcher.messages()).toEqual(input);
  });

  it("level 1 sends more bytes than level 9 for the same lines", async () => {
    const input = lines(2000);
    const fast = await ship(catcher, input, ["--compression-level", "1"]);
    const small = await ship(catcher, input, ["--compression-level", "9"]);
    expect(Number(fast.summary.bytes)).toBeGreaterThan(Number(small.summary.bytes));
  });

  it.each([
    [["--compression-level", "10"], {}, "option '--compression-level <level>'"],
    [["--compression-level", "x"], {}, "option '--compression-level <level>'"],
    [[], { COMPRESSION_LEVEL: "-1" }, "COMPRESSION_LEVEL"],
  ])("%j %j: exit 2 with one line naming it", async (args, env, named) => {
    const client = runCommand("shipper-client", ["--target-port", "9", ...args], { env });
    expect(await client.exited()).toBe(2);
    expect(client.stderr).toHaveLength(1);
    expect(client.stderr[0]).toContain(named);
    expect(client.stderr[0]).toContain("0 to 9");
  });
});
