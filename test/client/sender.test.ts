import { describe, expect, it } from "vitest";
import { Connection, type ResolvedAddress } from "../../src/client/connection.js";
import { type MessageOutcome, Sender } from "../../src/client/sender.js";
import { ERROR_CODES, ShipperError } from "../../src/foundation/errors.js";
import { FakeTime } from "../support/fake-time.js";
import { type SendBehaviour, settle, socketFactory } from "./fakes.js";

function setup(
  behave: (datagram: Uint8Array, attempt: number) => SendBehaviour = () => "ok",
  options: {
    maxRetries?: number;
    host?: string;
    lookup?: (host: string) => Promise<ResolvedAddress>;
  } = {},
) {
  const clock = new FakeTime();
  const factory = socketFactory(behave);
  const connection = new Connection({
    host: options.host ?? "logs.example",
    port: 9999,
    resolveIntervalMs: 30_000,
    clock,
    createSocket: factory.create,
    lookup: options.lookup ?? (async () => ({ address: "10.0.0.1", family: 4 })),
    onRefused: (code, address) => refused.push([code, address]),
  });
  /** Every refusal the connection reported: [code, address]. */
  const refused: [string, string][] = [];
  const counts = { datagrams: 0, bytes: 0, errors: [] as (string | undefined)[], retries: 0 };
  const sender = new Sender({
    connection,
    maxRetries: options.maxRetries ?? 3,
    clock,
    random: () => 0.5,
    stats: {
      datagram(bytes) {
        counts.datagrams += 1;
        counts.bytes += bytes;
      },
      sendError(code) {
        counts.errors.push(code);
      },
      retry() {
        counts.retries += 1;
      },
    },
  });
  const outcomes: MessageOutcome[] = [];
  const send = (...datagrams: Uint8Array[]) =>
    sender.send(datagrams, (outcome) => outcomes.push(outcome));
  return { clock, factory, connection, sender, counts, outcomes, send, refused };
}

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("Sender", () => {
  it("connects one socket to the resolved address and sends in order", async () => {
    const { factory, send, outcomes, counts, sender } = setup();
    send(bytes(1));
    send(bytes(2), bytes(3));
    await sender.settled();
    expect(factory.sockets).toHaveLength(1);
    expect(factory.sockets[0]?.connectedTo).toEqual({ port: 9999, address: "10.0.0.1" });
    expect(factory.sockets[0]?.sent.map((d) => d[0])).toEqual([1, 2, 3]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(counts).toMatchObject({ datagrams: 3, bytes: 3, retries: 0 });
  });

  it("opens a udp6 socket for an IPv6 address", async () => {
    const { factory, send, sender } = setup(undefined, {
      lookup: async () => ({ address: "::1", family: 6 }),
    });
    send(bytes(1));
    await sender.settled();
    expect(factory.sockets[0]?.family).toBe(6);
  });

  it("retries ECONNREFUSED with backoff, then succeeds", async () => {
    const { clock, factory, send, outcomes, counts } = setup((_d, attempt) =>
      attempt < 2 ? "ECONNREFUSED" : "ok",
    );
    send(bytes(1));
    await clock.advance(0);
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    await clock.advance(99);
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    await clock.advance(1); // first retry after 100 ms (random 0.5: no jitter)
    expect(factory.sockets[0]?.attempts).toHaveLength(2);
    await clock.advance(200); // second retry after 200 ms more
    expect(outcomes).toEqual([{ ok: true, ms: 300 }]);
    expect(counts).toMatchObject({ retries: 2, datagrams: 1 });
    expect(counts.errors).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
  });

  it("reports a send failing with ECONNREFUSED as a refusal of an earlier datagram too", async () => {
    const { clock, send, refused, counts } = setup((_d, attempt) =>
      attempt === 1 ? "ECONNREFUSED" : "ok",
    );
    send(bytes(1));
    send(bytes(2));
    await clock.advance(1000);
    expect(refused).toEqual([["ECONNREFUSED", "10.0.0.1"]]);
    expect(counts).toMatchObject({ datagrams: 2, retries: 1, errors: ["ECONNREFUSED"] });
  });

  it("does not take a send failing with EHOSTUNREACH or ENETUNREACH for a refusal", async () => {
    const { clock, send, refused, counts } = setup((_d, attempt) =>
      attempt === 0 ? "EHOSTUNREACH" : attempt === 1 ? "ENETUNREACH" : "ok",
    );
    send(bytes(1));
    await clock.advance(1000);
    expect(refused).toEqual([]);
    expect(counts.errors).toEqual(["EHOSTUNREACH", "ENETUNREACH"]);
  });

  it("gives up after maxRetries retries: send-failed", async () => {
    const { clock, factory, send, outcomes, counts } = setup(() => "ENOBUFS", { maxRetries: 2 });
    send(bytes(1));
    await clock.advance(10_000);
    expect(factory.sockets[0]?.attempts).toHaveLength(3);
    expect(outcomes).toEqual([{ ok: false, reason: "send-failed" }]);
    expect(counts).toMatchObject({ retries: 2, datagrams: 0 });
    expect(counts.errors).toHaveLength(3);
  });

  it("does not retry a code outside the allow-list", async () => {
    const { clock, factory, send, outcomes } = setup(() => "EACCES");
    send(bytes(1));
    await clock.advance(10_000);
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    expect(outcomes).toEqual([{ ok: false, reason: "send-failed" }]);
  });

  it("never retries EMSGSIZE", async () => {
    const { clock, factory, send, outcomes, counts } = setup(() => "EMSGSIZE");
    send(bytes(1));
    await clock.advance(10_000);
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    expect(outcomes).toEqual([{ ok: false, reason: "emsgsize" }]);
    expect(counts.retries).toBe(0);
  });

  it("fails a whole message when one of its datagrams fails", async () => {
    const { clock, send, outcomes, counts } = setup((d) => (d[0] === 2 ? "EACCES" : "ok"));
    send(bytes(1), bytes(2), bytes(3));
    await clock.advance(0);
    expect(outcomes).toEqual([{ ok: false, reason: "send-failed" }]);
    expect(counts.datagrams).toBe(2);
  });

  it("retries a failed DNS answer (EAI_AGAIN) and sends once it resolves", async () => {
    let lookups = 0;
    const { clock, factory, send, outcomes } = setup(undefined, {
      lookup: async () => {
        lookups += 1;
        if (lookups === 1) throw Object.assign(new Error("try again"), { code: "EAI_AGAIN" });
        return { address: "10.0.0.1", family: 4 };
      },
    });
    send(bytes(1));
    await clock.advance(100);
    expect(outcomes).toEqual([{ ok: true, ms: 100 }]);
    expect(factory.sockets).toHaveLength(1);
  });

  it("drain() waits for retries in progress", async () => {
    const { clock, send, sender, outcomes } = setup((_d, attempt) =>
      attempt === 0 ? "EAGAIN" : "ok",
    );
    send(bytes(1));
    let drained: boolean | undefined;
    void sender.drain(10_000).then((result) => {
      drained = result;
    });
    await clock.advance(50);
    expect(drained).toBeUndefined();
    await clock.advance(50);
    expect(drained).toBe(true);
    expect(outcomes).toEqual([{ ok: true, ms: 100 }]);
    expect(clock.pending).toBe(1); // the connection's re-resolve timer, no drain timer left
  });

  it("drain() gives up after its timeout: what is left settles as shutdown-timeout", async () => {
    const { clock, send, sender, outcomes } = setup((d) => (d[0] === 1 ? "never" : "EAGAIN"), {
      maxRetries: 100,
    });
    send(bytes(1));
    send(bytes(2));
    let drained: boolean | undefined;
    void sender.drain(1000).then((result) => {
      drained = result;
    });
    await clock.advance(999);
    expect(drained).toBeUndefined();
    await clock.advance(1);
    expect(drained).toBe(false);
    expect(outcomes).toEqual([
      { ok: false, reason: "shutdown-timeout" },
      { ok: false, reason: "shutdown-timeout" },
    ]);
    expect(sender.inFlight).toBe(0);
    expect(clock.pending).toBe(1); // only the connection's re-resolve timer is left
  });

  it("drain(untilRefused) ends at the first refusal: what is left settles as target-refused", async () => {
    const { clock, factory, send, sender, outcomes } = setup((_d, attempt) =>
      attempt === 0 ? "EAGAIN" : "ok",
    );
    send(bytes(1));
    await clock.advance(0);
    let drained: boolean | undefined;
    void sender.drain(10_000, true).then((result) => {
      drained = result;
    });
    await clock.advance(0);
    expect(drained).toBeUndefined();
    // The target bounces a datagram while the first waits for its retry.
    factory.sockets[0]?.emitError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }));
    await clock.advance(0);
    expect(drained).toBe(true);
    expect(outcomes).toEqual([{ ok: false, reason: "target-refused" }]);
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    expect(clock.pending).toBe(1); // the connection's re-resolve timer: no retry, no drain timer
  });

  it("drain(untilRefused) drops at once a message waiting to be sent again after a refusal", async () => {
    const { clock, factory, send, sender, outcomes } = setup((_d, attempt) =>
      attempt < 2 ? "ECONNREFUSED" : "ok",
    );
    send(bytes(1));
    send(bytes(2));
    await clock.advance(0);
    expect(await sender.drain(10_000, true)).toBe(true);
    expect(outcomes).toEqual([
      { ok: false, reason: "target-refused" },
      { ok: false, reason: "target-refused" },
    ]);
    expect(factory.sockets[0]?.attempts).toHaveLength(2);
  });

  it("drain() without untilRefused retries through a refusal", async () => {
    const { clock, factory, send, sender, outcomes } = setup((_d, attempt) =>
      attempt === 0 ? "ECONNREFUSED" : "ok",
    );
    send(bytes(1));
    await clock.advance(0);
    const drained = sender.drain(10_000);
    factory.sockets[0]?.emitError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }));
    await clock.advance(100);
    expect(await drained).toBe(true);
    expect(outcomes).toEqual([{ ok: true, ms: 100 }]);
  });

  it("drain() with nothing in flight resolves at once", async () => {
    const { sender } = setup();
    expect(await sender.drain(1000)).toBe(true);
  });
});

describe("Connection", () => {
  it("looks the host up again and reconnects when the address changes", async () => {
    let address = "10.0.0.1";
    const { clock, factory, send, sender, connection } = setup(undefined, {
      lookup: async () => ({ address, family: 4 }),
    });
    send(bytes(1));
    await sender.settled();
    await clock.advance(30_000);
    expect(factory.sockets).toHaveLength(1);
    address = "10.0.0.2";
    await clock.advance(30_000);
    expect(factory.sockets).toHaveLength(2);
    expect(factory.sockets[0]?.closed).toBe(true);
    expect(connection.address).toBe("10.0.0.2");
    expect(connection.reconnects).toBe(1);
    send(bytes(2));
    await sender.settled();
    expect(factory.sockets[1]?.connectedTo?.address).toBe("10.0.0.2");
    expect(factory.sockets[1]?.sent.map((d) => d[0])).toEqual([2]);
    expect(factory.sockets[0]?.sent.map((d) => d[0])).toEqual([1]);
  });

  it("keeps the old socket open until its sends called back", async () => {
    let address = "10.0.0.1";
    let release: (() => void) | undefined;
    const clock = new FakeTime();
    const factory = socketFactory();
    const connection = new Connection({
      host: "logs.example",
      port: 9999,
      resolveIntervalMs: 1000,
      clock,
      createSocket: (family) => {
        const socket = factory.create(family);
        const send = socket.send.bind(socket);
        socket.send = (datagram, callback) => {
          if (datagram[0] === 1) release = () => send(datagram, callback);
          else send(datagram, callback);
        };
        return socket;
      },
      lookup: async () => ({ address, family: 4 }),
    });
    const first = connection.send(bytes(1));
    await settle();
    address = "10.0.0.2";
    await clock.advance(1000);
    expect(factory.sockets).toHaveLength(2);
    expect(factory.sockets[0]?.closed).toBe(false);
    release?.();
    await first;
    expect(factory.sockets[0]?.closed).toBe(true);
    connection.close();
    expect(factory.sockets[1]?.closed).toBe(true);
  });

  it("keeps the working address when a later lookup fails", async () => {
    let fail = false;
    const { clock, factory, send, sender, connection } = setup(undefined, {
      lookup: async () => {
        if (fail) throw Object.assign(new Error("down"), { code: "EAI_AGAIN" });
        return { address: "10.0.0.1", family: 4 };
      },
    });
    send(bytes(1));
    await sender.settled();
    fail = true;
    await clock.advance(30_000);
    expect(connection.address).toBe("10.0.0.1");
    expect(factory.sockets).toHaveLength(1);
    expect(factory.sockets[0]?.closed).toBe(false);
  });

  it("never looks up an IP literal", async () => {
    let lookups = 0;
    const { clock, send, sender } = setup(undefined, {
      host: "127.0.0.1",
      lookup: async () => {
        lookups += 1;
        return { address: "127.0.0.1", family: 4 };
      },
    });
    expect(clock.pending).toBe(0);
    send(bytes(1));
    await sender.settled();
    await clock.advance(120_000);
    expect(lookups).toBe(0);
  });

  it("opens a fresh socket after a socket error", async () => {
    const { factory, send, sender } = setup();
    send(bytes(1));
    await sender.settled();
    factory.sockets[0]?.emitError(new Error("boom"));
    expect(factory.sockets[0]?.closed).toBe(true);
    send(bytes(2));
    await sender.settled();
    expect(factory.sockets).toHaveLength(2);
    expect(factory.sockets[1]?.sent.map((d) => d[0])).toEqual([2]);
  });

  it("reports ICMP error events as refusals, keeping the socket and retrying nothing", async () => {
    const { factory, send, sender, refused, counts } = setup();
    send(bytes(1));
    await sender.settled();
    const icmp = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]) {
      factory.sockets[0]?.emitError(icmp(code));
    }
    expect(refused).toEqual([
      ["ECONNREFUSED", "10.0.0.1"],
      ["EHOSTUNREACH", "10.0.0.1"],
      ["ENETUNREACH", "10.0.0.1"],
    ]);
    expect(factory.sockets[0]?.closed).toBe(false);
    send(bytes(2));
    await sender.settled();
    expect(factory.sockets).toHaveLength(1);
    expect(factory.sockets[0]?.attempts.map((d) => d[0])).toEqual([1, 2]);
    expect(counts).toMatchObject({ retries: 0, errors: [] });
  });

  it("rejects sends after close() and stops the lookup timer", async () => {
    const { clock, connection } = setup();
    connection.close();
    expect(clock.pending).toBe(0);
    const closed = connection.send(bytes(1));
    await expect(closed).rejects.toBeInstanceOf(ShipperError);
    await expect(closed).rejects.toMatchObject({ code: ERROR_CODES.CONNECTION_CLOSED });
  });
});
