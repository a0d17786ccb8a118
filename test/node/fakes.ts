/** Line shipper options over fake sockets, and the entries they received, decoded. */
import { createDecoder } from "../../src/formats/create-decoder.js";
import type { LineShipperOptions } from "../../src/node/node-options.js";
import { socketFactory } from "../client/fakes.js";

export function fakeTarget(behave?: Parameters<typeof socketFactory>[0]) {
  const factory = socketFactory(behave);
  const options: LineShipperOptions = {
    target: "logs.example:9999",
    compressThread: false,
    createSocket: factory.create,
    lookup: async () => ({ address: "127.0.0.1", family: 4 }),
    host: "web-1",
    wallClock: () => Date.UTC(2026, 10, 24, 10, 30),
  };
  const received = () => {
    const decoder = createDecoder({ now: () => 0 });
    return factory.sockets
      .flatMap((socket) => socket.sent)
      .flatMap((datagram) => decoder.decode(datagram).entries)
      .map((json) => JSON.parse(json) as Record<string, unknown>);
  };
  return { factory, options, received };
}
