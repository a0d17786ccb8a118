/**
 * The V8 settings shipper-client makes once its input is a stream: the
 * young generation grows once, to two 4 MiB semi-spaces, and no further
 * under a stream of input, also once the compression thread has started
 * (which resets the setting), and a semi-space flag of the user's own is
 * left to apply.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../support/process.js";

/** Loaded into the client by NODE_OPTIONS: the largest young generation seen, in bytes. */
const PROBE = `
import { writeFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";
let most = 0;
const look = () => {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  most = Math.max(most, space?.space_size ?? 0);
};
setInterval(look, 2).unref();
process.on("exit", () => {
  look();
  writeFileSync(process.env.PROBE_OUT, String(most));
});
`;

const MIB = 1024 * 1024;
let dir: string;
let probe: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipper-heap-"));
  probe = join(dir, "probe.mjs");
  await writeFile(probe, PROBE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Pipes 100,000 lines (about 13 MB of entries) to a port nobody reads; the largest young generation. */
async function youngGeneration(nodeOptions: string): Promise<number> {
  const out = join(dir, `young-${Math.random()}`);
  const lines = Array.from({ length: 100_000 }, (_, i) => `request ${i} handled in ${i % 97} ms`);
  const client = runCommand(
    "shipper-client",
    ["--target-host", "127.0.0.1", "--target-port", "9", "--batch-size", "500"],
    {
      env: { NODE_OPTIONS: `--import=${pathToFileURL(probe).href} ${nodeOptions}`, PROBE_OUT: out },
      input: `${lines.join("\n")}\n`,
    },
  );
  await client.exited();
  return Number(await readFile(out, "utf8"));
}

describe("shipper-client's V8 settings", () => {
  it("keeps the young generation at two 4 MiB semi-spaces at most, compression thread and all", async () => {
    const most = await youngGeneration("");
    expect(most).toBeGreaterThan(0);
    // Starting the compression thread resets the settings until its `online`
    // event (docs/performance.md, "V8 settings"), so V8 may make the first
    // growth; without the settings the young generation grows to 32 MiB
    // under this input.
    expect(most).toBeLessThanOrEqual(8 * MIB);
  });

  it("leaves a semi-space flag given in NODE_OPTIONS to apply", async () => {
    // Only --max-semi-space-size may be given in NODE_OPTIONS; at 1 MiB it
    // keeps the young generation where the client's own setting would grow it.
    const most = await youngGeneration("--max-semi-space-size=1");
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2 * MIB);
  });
});
