/**
 * The entries of an encoded message, read back from its datagrams (fragments
 * joined, inflated when compressed): how a message taken from a target that
 * is out becomes entries logged again for the other targets. Each entry
 * comes back as its JSON text, fields and spellings as written.
 */
import {
  decodeFrame,
  type EncodedMessage,
  Flag,
  inflateCapped,
  parsePayload,
} from "../../wire/index.js";

/** Far above any payload the client makes (a line is at most 64 MiB). */
const MAX_PAYLOAD_BYTES = 2 ** 31 - 1;
/** Whatever the client sent is read back: no bound of the server's applies. */
const NO_LIMITS = Object.freeze({ maxDepth: 100_000, maxEntries: 2 ** 31, maxFields: 2 ** 31 });

/** The entries' JSON texts; undefined when the datagrams cannot be read back (a bug). */
export function unpackMessage(message: EncodedMessage): string[] | undefined {
  const payloads: Uint8Array[] = [];
  let compressed = false;
  for (const datagram of message.datagrams) {
    const frame = decodeFrame(datagram);
    if (!frame.ok) return undefined;
    compressed = (frame.value.flags & Flag.COMPRESSED) !== 0;
    payloads.push(frame.value.payload);
  }
  const joined = payloads.length === 1 ? (payloads[0] as Uint8Array) : Buffer.concat(payloads);
  const inflated = compressed ? inflateCapped(joined, MAX_PAYLOAD_BYTES) : undefined;
  if (inflated !== undefined && !inflated.ok) return undefined;
  const parsed = parsePayload(inflated?.value ?? joined, NO_LIMITS);
  return parsed.ok ? parsed.value.entries : undefined;
}
