import { describe, expect, it } from "vitest";
import { Connection } from "../../src/client/connection.js";
import { FakeTime } from "../support/fake-time.js";
import { socketFactory } from "./fakes.js";

type Lookup = () => Promise<{ address: string; family: 4 | 6 }>;

function connection(lookup: Lookup) {
  const factory = socketFactory();
  const made = new Connection({
    host: "logs.invalid",
    port: 9999,
    resolveIntervalMs: 0,
    clock: new FakeTime(),
    createSocket: factory.create,
    lookup,
  });
  return { connection: made, factory };
}

/** Lets the lookup, the socket's connect and their callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Connection.open", () => {
  it("connects the socket before any send, and the sends use it", async () => {
    let lookups = 0;
    const { connection: c, factory } = connection(async () => {
      lookups += 1;
      return { address: "127.0.0.1", family: 4 };
    });
    c.open();
    c.open();
    await settle();
    expect(factory.sockets).toHaveLength(1);
    expect(factory.sockets[0]?.connectedTo).toEqual({ port: 9999, address: "127.0.0.1" });
    expect(c.address).toBe("127.0.0.1");
    await c.send(new Uint8Array([1]));
    c.open();
    await c.send(new Uint8Array([2]));
    expect(lookups).toBe(1);
    expect(factory.sockets).toHaveLength(1);
    expect(factory.sockets[0]?.sent).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    c.close();
  });

  it("leaves a failed lookup to the next send, which looks up again and reports it", async () => {
    let lookups = 0;
    const failure = Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    const { connection: c, factory } = connection(async () => {
      lookups += 1;
      throw failure;
    });
    c.open();
    await settle();
    expect(lookups).toBe(1);
    await expect(c.send(new Uint8Array([1]))).rejects.toBe(failure);
    expect(lookups).toBe(2);
    expect(factory.sockets).toHaveLength(0);
    c.close();
  });

  it("does nothing once closed", async () => {
    const { connection: c, factory } = connection(async () => ({
      address: "127.0.0.1",
      family: 4,
    }));
    c.close();
    c.open();
    await settle();
    expect(factory.sockets).toHaveLength(0);
  });
});
