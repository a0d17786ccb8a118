/**
 * The files package.json exports to programs, dist/bundle/node/index.mjs
 * and pino.mjs (scripts/bundle.mjs, run by the global setup): the same
 * names as the modules they are built from, every worker program they
 * start beside them, and those threads started from the bundle at work: a
 * shipper's compression thread on a large batch, a server's decoders.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { Collector } from "../server/helpers.js";
import { ROOT } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const run = promisify(execFile);
const BUNDLES = join(ROOT, "dist", "bundle", "node");
const bundle = (name: string) => pathToFileURL(join(BUNDLES, name)).href;
const dist = (path: string) => pathToFileURL(join(ROOT, "dist", path)).href;

type Lib = typeof import("../../src/index.js");
type WorkerThreads = typeof import("node:worker_threads");

/**
 * node:worker_threads, whose Worker is replaced to see each start: on the
 * module's exports, which require() gives, and (syncBuiltinESMExports) on
 * the bindings of ES imports of it.
 */
const threads = createRequire(import.meta.url)("node:worker_threads") as WorkerThreads;
const OriginalWorker = threads.Worker;
let started: string[] = [];

beforeEach(() => {
  started = [];
  const Seen = class extends OriginalWorker {
    constructor(program: string | URL, options?: ConstructorParameters<typeof OriginalWorker>[1]) {
      super(program, options);
      started.push(String(program));
    }
  };
  (threads as { Worker: typeof OriginalWorker }).Worker = Seen;
  syncBuiltinESMExports();
});

afterEach(() => {
  (threads as { Worker: typeof OriginalWorker }).Worker = OriginalWorker;
  syncBuiltinESMExports();
});

describe("the bundled entry points", () => {
  it("export the names of the modules they are built from", async () => {
    const [index, built] = await Promise.all([
      import(bundle("index.mjs")),
      import(dist("index.js")),
    ]);
    expect(Object.keys(index).sort()).toEqual(Object.keys(built).sort());
    expect(Object.keys(index)).toContain("createShipper");
    const [pino, pinoBuilt] = await Promise.all([
      import(bundle("pino.mjs")),
      import(dist("node/pino.js")),
    ]);
    expect(Object.keys(pino).sort()).toEqual(Object.keys(pinoBuilt).sort());
    expect(typeof pino.default).toBe("function");
  });

  it("load no dependency until it is used", async () => {
    // No static import but Node's own: a dependency is loaded by require() where it is used.
    for (const name of ["index.mjs", "pino.mjs"]) {
      const text = readFileSync(join(BUNDLES, name), "utf8");
      const imports = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      expect(imports.length, name).toBeGreaterThan(0);
      expect(
        imports.filter((from) => !from?.startsWith("node:")),
        name,
      ).toEqual([]);
    }
    const { stdout } = await run(process.execPath, [
      "-e",
      "import(process.argv[1]).then(() => console.log(JSON.stringify(Object.keys(require.cache))))",
      bundle("index.mjs"),
    ]);
    const required = JSON.parse(stdout) as string[];
    expect(required.filter((path) => path.includes("node_modules"))).toEqual([]);
  });

  it("have beside them every worker program they start", () => {
    const programs = new Set<string>();
    for (const name of ["index.mjs", "pino.mjs"]) {
      const text = readFileSync(join(BUNDLES, name), "utf8");
      for (const [, program] of text.matchAll(/new URL\("\.\/([^"]+)", import\.meta\.url\)/g)) {
        programs.add(program as string);
      }
    }
    expect([...programs].sort()).toEqual(
      expect.arrayContaining(["decode-worker.js", "split-worker.cjs"]),
    );
    // split-thread.ts falls back to split-worker.js only where no split-worker.cjs is beside it.
    programs.delete("split-worker.js");
    for (const program of programs) expect(existsSync(join(BUNDLES, program)), program).toBe(true);
  });

  it("split a large batch on the compression thread beside the bundle", async () => {
    const { createShipper } = (await import(bundle("index.mjs"))) as Lib;
    const socket = dgram.createSocket("udp4");
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    const datagrams: Buffer[] = [];
    socket.on("message", (datagram) => datagrams.push(datagram));
    try {
      // Random messages: the batch stays far above the thread's 8 KiB once compressed.
      const messages = Array.from({ length: 200 }, () => randomBytes(60).toString("hex"));
      const shipper = createShipper({
        target: `127.0.0.1:${socket.address().port}`,
        batchSize: messages.length,
        flushIntervalMs: 60_000,
      });
      for (const message of messages) shipper.log({ level: "INFO", message });
      const summary = await shipper.close();
      expect(summary).toMatchObject({ entries: 200, sent: 200, dropped: 0 });
      expect(started).toEqual([bundle("split-worker.cjs")]);
      for (let i = 0; i < 200 && datagrams.length < summary.datagrams; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const decoder = createDecoder({ now: () => 0 });
      const got = datagrams.flatMap((datagram) => decoder.decode(datagram).entries);
      expect(got.map((entry) => (JSON.parse(entry) as { message: string }).message)).toEqual(
        messages,
      );
    } finally {
      socket.close();
    }
  });

  it("start a server's decoding threads from beside the bundle", async () => {
    const { createServer } = (await import(bundle("index.mjs"))) as Lib;
    const output = new Collector();
    const server = await createServer({ host: "127.0.0.1", port: 0, workers: 2, output });
    try {
      expect(started).toEqual([bundle("decode-worker.js"), bundle("decode-worker.js")]);
      await sendAll([Buffer.from('[{"message":"through a worker"}]')], server.address().port);
      for (let i = 0; i < 200 && output.lines().length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await server.close();
    }
    expect(output.lines().map((line) => JSON.parse(line))).toEqual([
      { message: "through a worker" },
    ]);
  });
});
