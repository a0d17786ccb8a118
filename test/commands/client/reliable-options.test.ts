import { describe, expect, it } from "vitest";
import { resolveClient } from "../../../src/commands/client/config.js";
import { FakeIO } from "../../support/fake-io.js";

async function resolve(argv: string[], env: Record<string, string> = {}) {
  const fake = new FakeIO();
  fake.stdin.end("");
  const resolved = await resolveClient(argv, env, fake);
  return { resolved, stderr: fake.stderr.lines };
}

describe("shipper-client --reliable", () => {
  it("is off by default: no reliable library option at all", async () => {
    const { resolved } = await resolve([]);
    expect(typeof resolved === "object" && resolved.config.reliable).toEqual({});
  });

  it("turns on with its defaults: 64 MiB unacknowledged, 60 s ack timeout", async () => {
    const { resolved } = await resolve(["--reliable"]);
    expect(typeof resolved === "object" && resolved.config.reliable).toEqual({
      reliable: true,
      maxUnackedBytes: 64 * 1024 * 1024,
      ackTimeoutMs: 60_000,
    });
  });

  it("reads RELIABLE, MAX_UNACKED_BYTES and ACK_TIMEOUT, and flags override them", async () => {
    const env = { RELIABLE: "yes", MAX_UNACKED_BYTES: "8MiB", ACK_TIMEOUT: "2.5" };
    const { resolved } = await resolve([], env);
    expect(typeof resolved === "object" && resolved.config.reliable).toEqual({
      reliable: true,
      maxUnackedBytes: 8 * 1024 * 1024,
      ackTimeoutMs: 2500,
    });
    const flagged = await resolve(["--ack-timeout", "0.5"], env);
    expect(typeof flagged.resolved === "object" && flagged.resolved.config.reliable).toMatchObject({
      ackTimeoutMs: 500,
    });
  });

  it.each([
    [["--reliable", "--no-sequence"], "--reliable"],
    [["--reliable", "--ack-timeout", "0"], "--ack-timeout"],
    [["--reliable", "--max-unacked-bytes", "lots"], "--max-unacked-bytes"],
    [["--reliable", "--max-unacked-bytes", "1KiB"], "--max-unacked-bytes"],
  ])("%j exits 2 with one line naming %s", async (argv, option) => {
    const { resolved, stderr } = await resolve(argv);
    expect(resolved).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain(option);
  });

  it("names RELIABLE when its value is not a boolean", async () => {
    const { resolved, stderr } = await resolve([], { RELIABLE: "maybe" });
    expect(resolved).toBe(2);
    expect(stderr[0]).toContain("RELIABLE");
  });
});
