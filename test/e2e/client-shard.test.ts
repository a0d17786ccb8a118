/**
 * `shipper-client` with several `--target`s, against three real
 * `shipper-server`s on loopback: entries sharded by service, one server
 * stopped mid-stream, and bad targets.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  lastJson,
  listeningPort,
  type Run,
  runCommand,
  startServer,
  stop,
} from "../support/process.js";

const servers: Run[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) await stop(server);
  }
});

async function threeServers(): Promise<{ runs: Run[]; targets: string[] }> {
  const started = await Promise.all([startServer([]), startServer([]), startServer([])]);
  servers.push(...started.map((s) => s.server));
  return { runs: started.map((s) => s.server), targets: started.map((s) => `127.0.0.1:${s.port}`) };
}

function line(n: number): string {
  return `{"n":${n},"service":"svc-${n % 30}","message":"entry ${n}"}\n`;
}

function targetArgs(targets: readonly string[]): string[] {
  return targets.flatMap((target) => ["--target", target]);
}

interface Out {
  readonly n: number;
  readonly service: string;
}

function outputOf(server: Run): Out[] {
  return server.stdout.map((text) => JSON.parse(text) as Out);
}

describe("shipper-client with three targets", () => {
  it("sends each service to exactly one server; the summary counts each target", async () => {
    const { runs, targets } = await threeServers();
    let input = "";
    for (let n = 0; n < 3000; n++) input += line(n);
    const client = runCommand(
      "shipper-client",
      [...targetArgs(targets), "--parse", "none", "--json-format", "raw"],
      { input },
    );
    expect(await client.exited()).toBe(0);
    const summary = lastJson(client.stderr) as {
      entries: number;
      sent: number;
      targets: Record<string, { entries: number; sent: number; state: string; datagrams: number }>;
    };
    expect(summary).toMatchObject({ entries: 3000, sent: 3000, dropped: 0 });
    const results = await Promise.all(runs.map((server) => stop(server)));
    const owner = new Map<string, number>();
    runs.forEach((server, i) => {
      const out = outputOf(server);
      for (const { service } of out) {
        expect(owner.get(service) ?? i).toBe(i);
        owner.set(service, i);
      }
      const line = summary.targets[targets[i] as string];
      expect(line).toMatchObject({ state: "live", entries: out.length, sent: out.length });
      expect(line?.datagrams).toBe(results[i]?.summary.datagrams);
    });
    expect(owner.size).toBe(30);
    expect(new Set(owner.values()).size).toBe(3);
  }, 60_000);

  it("--reliable: a server stopped mid-stream loses nothing; its services move to the others", async () => {
    const { runs, targets } = await threeServers();
    const client = runCommand(
      "shipper-client",
      [...targetArgs(targets), "--reliable", "--parse", "none", "--json-format", "raw"],
      { stdin: "pipe" },
    );
    const stdin = client.child.stdin as NodeJS.WritableStream;
    const total = 6000;
    const half = total / 2;
    for (let n = 0; n < half; n++) stdin.write(line(n));
    const victim = runs[1] as Run;
    await victim.until("stdout", (lines) => lines.length >= 20);
    const before = outputOf(victim);
    victim.child.kill("SIGTERM");
    await victim.exited();
    for (let n = half; n < total; n++) stdin.write(line(n));
    stdin.end();
    expect(await client.exited()).toBe(0);
    const summary = lastJson(client.stderr) as {
      targets: Record<string, { state: string; moved: number; outages: number; refusals: number }>;
    };
    expect(summary).toMatchObject({ entries: total, sent: total, dropped: 0 });
    expect(summary.targets[targets[1] as string]).toMatchObject({ state: "out", outages: 1 });
    expect(client.stderr.some((l) => l.includes(`${targets[1]} taken out`))).toBe(true);
    await Promise.all([stop(runs[0] as Run), stop(runs[2] as Run)]);
    const outs = runs.map(outputOf);
    const seen = new Map<number, number>();
    for (const out of outs) for (const { n } of out) seen.set(n, (seen.get(n) ?? 0) + 1);
    expect(seen.size).toBe(total);
    // Copies only of what the stopped server wrote: it may have written what it never acknowledged.
    const victimNs = new Set((outs[1] ?? []).map((o) => o.n));
    for (const [n, times] of seen) if (times > 1) expect(victimNs.has(n)).toBe(true);
    // Its services went to the other two once it was stopped.
    const victimServices = new Set(before.map((o) => o.service));
    const moved = [...(outs[0] ?? []), ...(outs[2] ?? [])].filter(
      (o) => victimServices.has(o.service) && o.n >= half,
    );
    expect(new Set(moved.map((o) => o.service))).toEqual(victimServices);
  }, 120_000);
});

describe("an IPv6 target", () => {
  it("[::1]:PORT beside 127.0.0.1:PORT: each gets its services", async () => {
    const v4 = await startServer([]);
    const v6run = runCommand("shipper-server", ["--host", "::1", "--port", "0"]);
    servers.push(v4.server, v6run);
    const v6port = await listeningPort(v6run);
    let input = "";
    for (let n = 0; n < 600; n++) input += line(n);
    const targets = [`127.0.0.1:${v4.port}`, `[::1]:${v6port}`];
    const client = runCommand(
      "shipper-client",
      [...targetArgs(targets), "--parse", "none", "--json-format", "raw"],
      { input },
    );
    expect(await client.exited()).toBe(0);
    const summary = lastJson(client.stderr) as { targets: Record<string, { sent: number }> };
    await Promise.all([stop(v4.server), stop(v6run)]);
    expect(Object.keys(summary.targets)).toEqual(targets);
    expect(summary.targets[targets[1] as string]?.sent).toBe(v6run.stdout.length);
    expect(v6run.stdout.length).toBeGreaterThan(0);
    expect(v4.server.stdout.length + v6run.stdout.length).toBe(600);
  }, 60_000);
});

describe("bad targets", () => {
  it.each([
    [["--target", "127.0.0.1:99999"], "127.0.0.1:99999"],
    [["--target", ":9999"], ":9999"],
    [["--target", "[::1"], "[::1"],
    [["--target", "a.invalid:1", "--target", "A.invalid:1"], "a.invalid:1 twice"],
    [["--target", "a.invalid:1", "--target-host", "b.invalid"], "--target-host"],
    [["--target", "a.invalid:1", "--target-port", "9"], "--target-port"],
  ])("%j exits 2 with one line naming it", async (args, named) => {
    const run = runCommand("shipper-client", [...args, "--generate"], {});
    expect(await run.exited()).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain(named);
  });

  it("a bad TARGETS value exits 2 naming the variable", async () => {
    const run = runCommand("shipper-client", ["--generate"], {
      env: { TARGETS: "127.0.0.1:1,nope:0" },
    });
    expect(await run.exited()).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toContain("TARGETS");
    expect(run.stderr[0]).toContain("nope:0");
  });
});
