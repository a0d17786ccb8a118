/**
 * Whether a running server acknowledges (PROTOCOL.md section 6): one
 * framed datagram with ACK_REQUESTED (flags SEQUENCED 0x02 | 0x10, a random
 * stream, seq 0, one uncompressed entry), and a wait for any datagram
 * opening with the magic and the ACK bit (0x80). Built by hand so that it
 * runs against any build of the server, acknowledging or not.
 */
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";

const MAGIC = [0xcb, 0xf2];
const SEQUENCED_ACK_REQUESTED = 0x02 | 0x10;
const ACK = 0x80;

/** True when the server at 127.0.0.1:`port` answers with an acknowledgement within `waitMs`. */
export function serverAcknowledges(port: number, waitMs = 1_000): Promise<boolean> {
  const socket = dgram.createSocket("udp4");
  const payload = Buffer.from('[{"message":"ack probe"}]');
  const header = Buffer.from([...MAGIC, SEQUENCED_ACK_REQUESTED, ...randomBytes(8), 0, 0, 0, 0]);
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on("message", (datagram) => {
      if (
        datagram[0] === MAGIC[0] &&
        datagram[1] === MAGIC[1] &&
        ((datagram[2] ?? 0) & ACK) !== 0
      ) {
        done(true);
      }
    });
    socket.on("error", () => done(false));
    socket.send(Buffer.concat([header, payload]), port, "127.0.0.1");
  });
}
