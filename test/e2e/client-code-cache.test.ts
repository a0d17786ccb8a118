/**
 * The client's start from its bundle and the bundle's V8 code cache
 * (src/commands/client/load.ts, shared/cached-script.ts), on a copy of the
 * built package: whatever state the cache is in (the build's, damaged, cut
 * short, of another build, missing, in a directory that cannot be written
 * to) or with no bundle at all, the command ships the same entries and
 * prints the same help. A cache that could not be used is written again
 * when the directory allows; the build's cache is left as it is.
 */
import { spawn, spawnSync } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { ROOT } from "../support/process.js";

const LINES = Array.from(
  { length: 10 },
  (_, i) => `2027-01-15T08:00:0${i}.000Z ${i % 2 ? "WARN" : "INFO"} request ${i} handled`,
);

let pkg: string;
let bundleDir: string;
let cacheFile: string;
let pristine: Buffer;
let sink: Socket;
const received: Buffer[] = [];

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The copy's client with `args`, stdin `input`; as user nobody when `asNobody` (the tests run as root). */
async function client(args: readonly string[], input = "", asNobody = false): Promise<Exit> {
  const child = spawn(process.execPath, [join(pkg, "bin", "shipper-client.cjs"), ...args], {
    env: { PATH: process.env.PATH ?? "" },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(input);
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

/** Ships the ten lines; the entries the sink decoded from what arrived. */
async function shipTen(asNobody = false): Promise<Record<string, unknown>[]> {
  received.length = 0;
  const port = String(sink.address().port);
  const run = await client(
    ["--target-host", "127.0.0.1", "--target-port", port],
    `${LINES.join("\n")}\n`,
    asNobody,
  );
  expect(run.code, run.stderr).toBe(0);
  const decoder = createDecoder({ now: () => performance.now() });
  return received.flatMap((datagram) =>
    decoder.decode(datagram).entries.map((entry) => JSON.parse(entry) as Record<string, unknown>),
  );
}

const inode = () => statSync(cacheFile).ino;

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), "shipper-code-cache-"));
  chmodSync(pkg, 0o755);
  for (const part of ["bin", "dist", "package.json"])
    cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  bundleDir = join(pkg, "dist", "bundle", "client");
  cacheFile = join(bundleDir, "shipper-client.code-cache");
  pristine = readFileSync(cacheFile);
  sink = createSocket("udp4");
  sink.on("message", (datagram) => received.push(datagram));
  sink.bind(0, "127.0.0.1");
  await once(sink, "listening");
});

afterAll(() => {
  sink?.close();
  if (pkg) rmSync(pkg, { recursive: true, force: true });
});

beforeEach(() => {
  chmodSync(bundleDir, 0o755);
  writeFileSync(cacheFile, pristine);
});

describe("the client bundle's code cache", () => {
  let expected: Record<string, unknown>[];
  let help: string;

  beforeAll(async () => {
    writeFileSync(cacheFile, pristine);
    expected = await shipTen();
    help = (await client(["--help"])).stdout;
  });

  it("uses the build's cache and leaves it as it is", async () => {
    expect(expected.map((entry) => entry.message)).toEqual(LINES);
    const before = inode();
    expect(await shipTen()).toEqual(expected);
    expect((await client(["--help"])).stdout).toBe(help);
    const viaModule = spawnSync(process.execPath, [
      join(pkg, "bin", "shipper-client.js"),
      "--help",
    ]);
    expect(viaModule.stdout.toString()).toBe(help);
    expect(inode()).toBe(before);
    expect(readFileSync(cacheFile).equals(pristine)).toBe(true);
  });

  it.each([
    [
      "damaged in the middle",
      (cache: Buffer) => {
        const damaged = Buffer.from(cache);
        damaged.fill(0xa5, damaged.length >> 1, (damaged.length >> 1) + 64);
        return damaged;
      },
    ],
    ["cut short", (cache: Buffer) => cache.subarray(0, cache.length >> 1)],
    [
      "of another build",
      (cache: Buffer) => {
        const other = Buffer.from(cache);
        other.write("0123456789abcdef", other.indexOf("bundle ") + 7, "latin1");
        return other;
      },
    ],
    ["that is no cache at all", () => Buffer.from("not a code cache\n")],
  ])("a cache %s: the same entries and help, and the cache is written again", async (_, spoil) => {
    const spoiled = spoil(pristine);
    writeFileSync(cacheFile, spoiled);
    expect(await shipTen()).toEqual(expected);
    expect(readFileSync(cacheFile).equals(spoiled)).toBe(false);
    const rewritten = inode();
    // Used from then on: the next runs leave it as it is.
    expect(await shipTen()).toEqual(expected);
    expect((await client(["--help"])).stdout).toBe(help);
    expect(inode()).toBe(rewritten);
  });

  it("no cache: the same entries, and the run writes one", async () => {
    rmSync(cacheFile);
    expect(await shipTen()).toEqual(expected);
    const written = inode();
    expect(await shipTen()).toEqual(expected);
    expect(inode()).toBe(written);
  });

  it("a directory that cannot be written to: the same entries, nothing written", async () => {
    rmSync(cacheFile);
    chmodSync(bundleDir, 0o555);
    const asNobody = process.getuid?.() === 0;
    expect(await shipTen(asNobody)).toEqual(expected);
    expect(readdirSync(bundleDir).sort()).toEqual([
      "load.cjs",
      "shipper-client.cjs",
      "split-worker.cjs",
    ]);
  });
});

describe("without the bundle", () => {
  it("runs the modules of dist/: the same entries, help and version", async () => {
    const withBundle = await shipTen();
    const help = (await client(["--help"])).stdout;
    const version = (await client(["--version"])).stdout;
    const aside = join(pkg, "bundle-aside");
    cpSync(join(pkg, "dist", "bundle"), aside, { recursive: true });
    rmSync(join(pkg, "dist", "bundle"), { recursive: true });
    try {
      expect(await shipTen()).toEqual(withBundle);
      expect((await client(["--help"])).stdout).toBe(help);
      expect((await client(["--version"])).stdout).toBe(version);
      expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      cpSync(aside, join(pkg, "dist", "bundle"), { recursive: true });
    }
  });
});
