/**
 * A shipper with reliable delivery on a fake socket and a fake clock, and
 * the means to read its frames and acknowledge them as a server would.
 */
import { createShipper, type ShipperOptions } from "../../src/client/shipper.js";
import { decodeFrame } from "../../src/wire/frame.js";
import { type EncodedMessage, encodeAck } from "../../src/wire/index.js";
import { FakeTime } from "../support/fake-time.js";
import { type SendBehaviour, socketFactory } from "./fakes.js";

export function reliableShipper(
  options: Partial<ShipperOptions> = {},
  behave: (datagram: Uint8Array) => SendBehaviour = () => "ok",
) {
  const clock = new FakeTime();
  const factory = socketFactory(behave);
  const shipper = createShipper({
    targetHost: "127.0.0.1",
    targetPort: 9999,
    batchSize: 1,
    flushIntervalMs: 5000,
    batchBytes: 0,
    flushLevel: undefined,
    compress: false,
    compressThread: false,
    sequenced: true,
    maxDatagramBytes: 65_507,
    maxRetries: 0,
    reliable: true,
    clock,
    random: () => 0.5,
    createSocket: factory.create,
    ...options,
  });
  const socket = () => {
    const made = factory.sockets[0];
    if (made === undefined) throw new Error("no socket yet");
    return made;
  };
  const frames = () =>
    socket().sent.map((datagram) => {
      const frame = decodeFrame(datagram);
      if (!frame.ok) throw new Error(frame.reason);
      return frame.value;
    });
  const stream = () => frames()[0]?.stream as Uint8Array;
  const ack = (first: number, last = first, key?: Uint8Array) =>
    socket().receive(encodeAck(stream(), [{ first, last }], key));
  return { clock, shipper, socket, frames, stream, ack };
}

/** An encoded message of one datagram of `bytes` zero bytes, one entry, uncompressed. */
export function encodedMessage(seq: number, bytes = 10): EncodedMessage {
  return {
    datagrams: [new Uint8Array(bytes)],
    first: 0,
    entries: 1,
    seq,
    fragmented: false,
    truncated: 0,
    compressed: false,
    payloadBytes: bytes,
  };
}
