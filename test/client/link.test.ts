import { describe, expect, it } from "vitest";
import { closeLink, type Link, sendOn, startLink } from "../../src/client/link.js";
import { FakeSocket } from "./fakes.js";

async function link(socket: FakeSocket): Promise<Link> {
  return startLink(
    () => socket,
    9999,
    "127.0.0.1",
    4,
    () => {},
  ).connected;
}

const bytes = (n: number) => new Uint8Array([n]);

describe("sendOn", () => {
  it("hands the datagrams of one run to the socket once it ends, together and in order", async () => {
    const socket = new FakeSocket(4, () => "ok");
    const opened = await link(socket);
    const sends = [1, 2, 3].map((n) => sendOn(opened, bytes(n), () => {}));
    expect(socket.attempts).toEqual([]);
    expect(opened.inFlight).toBe(3);
    await Promise.resolve();
    expect(socket.attempts).toEqual([bytes(1), bytes(2), bytes(3)]);
    await Promise.all(sends);
    expect(opened.inFlight).toBe(0);
    // The next run's datagrams go on their own.
    const later = sendOn(opened, bytes(4), () => {});
    expect(socket.attempts).toHaveLength(3);
    await later;
    expect(socket.sent).toEqual([bytes(1), bytes(2), bytes(3), bytes(4)]);
  });

  it("fails only the send the socket fails, and tells a refusal", async () => {
    const socket = new FakeSocket(4, (datagram) => (datagram[0] === 2 ? "ECONNREFUSED" : "ok"));
    const opened = await link(socket);
    const refused: string[] = [];
    const sends = [1, 2, 3].map((n) =>
      sendOn(opened, bytes(n), (code, address) => refused.push(`${code} ${address}`)),
    );
    const outcomes = await Promise.allSettled(sends);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(refused).toEqual(["ECONNREFUSED 127.0.0.1"]);
    expect(socket.sent).toEqual([bytes(1), bytes(3)]);
  });

  it("sends what it holds before its socket closes; a retired link closes after its sends", async () => {
    const socket = new FakeSocket(4, () => "ok");
    const opened = await link(socket);
    const send = sendOn(opened, bytes(1), () => {});
    closeLink(opened);
    expect(socket.closed).toBe(true);
    await send;
    expect(socket.sent).toEqual([bytes(1)]);
    expect(opened.inFlight).toBe(0);
    await expect(sendOn(opened, bytes(9), () => {})).rejects.toMatchObject({
      code: "ERR_SOCKET_DGRAM_NOT_RUNNING",
    });

    const second = new FakeSocket(4, () => "ok");
    const retired = await link(second);
    const last = sendOn(retired, bytes(2), () => {});
    retired.retired = true;
    expect(second.closed).toBe(false);
    await last;
    expect(second.closed).toBe(true);
    expect(second.sent).toEqual([bytes(2)]);
  });
});
