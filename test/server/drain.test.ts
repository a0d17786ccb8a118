import { afterEach, describe, expect, it, vi } from "vitest";
import { type DrainOptions, type DrainResult, drainSocket } from "../../src/server/drain.js";
import { type ProcFiles, watchKernelDrops } from "../../src/server/kernel-drops.js";
import { createServer, type LogServer } from "../../src/server/server.js";
import { FakeTime } from "../support/fake-time.js";
import { sendAll } from "../support/udp.js";
import { Collector, utf8 } from "./helpers.js";

function drainWith(time: FakeTime, options: Partial<DrainOptions>) {
  let result: DrainResult | undefined;
  const done = drainSocket({
    queuedBytes: () => 0,
    received: () => 0,
    now: time.now,
    timers: time,
    timeoutMs: 1000,
    maxDatagrams: 1_000_000,
    ...options,
  }).then((r) => {
    result = r;
    return r;
  });
  return { done, result: () => result };
}

describe("drainSocket", () => {
  it("ends at once, waiting for nothing, when the queue is already empty", async () => {
    const time = new FakeTime();
    const { done } = drainWith(time, { queuedBytes: () => 0 });
    expect(time.nextInMs).toBe(undefined);
    expect(await done).toEqual({ end: "empty", datagrams: 0, elapsedMs: 0 });
  });

  it("checks the queue every poll until it is empty, counting what was read meanwhile", async () => {
    const time = new FakeTime();
    let queued = 3 * 1152;
    let received = 40;
    const { done } = drainWith(time, {
      queuedBytes: () => queued,
      received: () => received,
      pollMs: 2,
    });
    time.runNext();
    received += 2;
    queued -= 2 * 1152;
    time.runNext();
    received += 1;
    queued = 0;
    expect(time.nextInMs).toBe(2);
    time.runNext();
    expect(await done).toEqual({ end: "empty", datagrams: 3, elapsedMs: 6 });
  });

  it("gives up at the time bound while the queue stays full", async () => {
    const time = new FakeTime();
    const { done, result } = drainWith(time, {
      queuedBytes: () => 4096,
      timeoutMs: 20,
      pollMs: 5,
    });
    for (let i = 0; i < 3; i++) time.runNext();
    await Promise.resolve();
    expect(result()).toBe(undefined);
    time.runNext();
    expect(await done).toEqual({ end: "timeout", datagrams: 0, elapsedMs: 20 });
    expect(time.nextInMs).toBe(undefined);
  });

  it("gives up once the count bound of datagrams is read, however full the queue", async () => {
    const time = new FakeTime();
    let received = 7;
    const { done } = drainWith(time, {
      queuedBytes: () => 4096,
      received: () => received,
      maxDatagrams: 100,
    });
    received += 99;
    time.runNext();
    await Promise.resolve();
    expect(time.nextInMs).not.toBe(undefined);
    received += 1;
    time.runNext();
    expect(await done).toMatchObject({ end: "count", datagrams: 100 });
  });

  it("without a queue reading, waits until no datagram came for the quiet spell", async () => {
    const time = new FakeTime();
    let received = 0;
    const { done, result } = drainWith(time, {
      queuedBytes: () => null,
      received: () => received,
      pollMs: 10,
      quietMs: 50,
    });
    // Datagrams keep coming for 30 ms, then stop: the drain ends 50 ms after the last.
    for (let i = 0; i < 3; i++) {
      received += 5;
      time.runNext();
    }
    for (let i = 0; i < 4; i++) time.runNext();
    await Promise.resolve();
    expect(result()).toBe(undefined);
    time.runNext();
    expect(await done).toEqual({ end: "quiet", datagrams: 15, elapsedMs: 80 });
  });

  it("with a time bound of 0, does not drain at all", async () => {
    const time = new FakeTime();
    const { done } = drainWith(time, { queuedBytes: () => 4096, timeoutMs: 0 });
    expect(time.nextInMs).toBe(undefined);
    expect(await done).toEqual({ end: "timeout", datagrams: 0, elapsedMs: 0 });
  });
});

/**
 * A /proc whose row for the server's socket shows `queued` bytes in its
 * receive queue, whatever the real queue holds; the test sets it.
 */
function procShowing(): ProcFiles & { queued: number; port: number } {
  const proc = {
    queued: 0,
    port: 0,
    read(path: string) {
      if (path !== "/proc/net/udp") return undefined;
      const port = proc.port.toString(16).toUpperCase().padStart(4, "0");
      const rx = proc.queued.toString(16).toUpperCase().padStart(8, "0");
      return (
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
        `    1: 0100007F:${port} 00000000:0000 07 00000000:${rx} 00:00000000 00000000  1000        0 4242 2 0000000000000000 0\n`
      );
    },
    socketInodes: () => new Set(["4242"]),
  };
  return proc;
}

const running: LogServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function startWith(proc: ReturnType<typeof procShowing>, drainTimeoutMs?: number) {
  let handled = 0;
  const output = new Collector();
  const server = await createServer({
    host: "127.0.0.1",
    port: 0,
    output,
    ...(drainTimeoutMs === undefined ? {} : { drainTimeoutMs }),
    kernelDrops: (port) => {
      proc.port = port;
      return watchKernelDrops(port, proc);
    },
    onDatagram: () => {
      handled += 1;
    },
  });
  running.push(server);
  return { server, output, handled: () => handled };
}

describe("close() drains the socket", () => {
  it("keeps reading until the socket's queue shows empty, then closes it", async () => {
    const proc = procShowing();
    const { server, output, handled } = await startWith(proc);
    proc.queued = 2 * 1152;
    expect(server.stats().unread_bytes).toBe(2304);
    const closing = server.close();
    // Still reading: these arrive after close() began, while the queue shows datagrams.
    await sendAll([utf8('{"n":1}'), utf8('{"n":2}')], server.address().port);
    await vi.waitFor(() => expect(handled()).toBe(2));
    proc.queued = 0;
    const summary = await closing;
    expect(summary).toMatchObject({ datagrams: 2, entries: 2, unread_bytes: 0 });
    expect(output.lines()).toEqual(['{"n":1}', '{"n":2}']);
  });

  it("counts in unread_bytes what is still queued when the time bound is reached", async () => {
    const proc = procShowing();
    const { server } = await startWith(proc, 30);
    proc.queued = 3 * 1152;
    const summary = await server.close();
    expect(summary.unread_bytes).toBe(3456);
    // The reading taken before the socket closed stays: /proc is not read again.
    proc.queued = 0;
    expect(server.stats().unread_bytes).toBe(3456);
  });

  it("says null where the socket's queue cannot be read, after a quiet spell", async () => {
    const { server } = await startWithUnavailable();
    const summary = await server.close();
    expect(summary.unread_bytes).toBe(null);
    expect(JSON.stringify(summary)).toContain('"unread_bytes":null,"top_sources"');
  });

  it.runIf(process.platform === "linux")(
    "reads the real queue from /proc: 0 once read",
    async () => {
      const server = await createServer({ host: "127.0.0.1", port: 0, output: new Collector() });
      running.push(server);
      expect(server.stats().unread_bytes).toBe(0);
      expect((await server.close()).unread_bytes).toBe(0);
    },
  );
});

async function startWithUnavailable() {
  const server = await createServer({
    host: "127.0.0.1",
    port: 0,
    output: new Collector(),
    kernelDrops: () => ({ read: () => ({ drops: null, source: "unavailable" }) }),
  });
  running.push(server);
  return { server };
}
