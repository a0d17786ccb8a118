import { createHmac, timingSafeEqual } from "node:crypto";
import { FLAGS_BYTES, Flag, MAGIC_BYTES, TAG_BYTES } from "./constants.js";

/** The tag of a SIGNED datagram: the first 16 bytes of HMAC-SHA256(key, bytes). */
export function signTag(key: Uint8Array, bytes: Uint8Array): Uint8Array {
  return createHmac("sha256", key).update(bytes).digest().subarray(0, TAG_BYTES);
}

function matchesAnyKey(keys: readonly Uint8Array[], covered: Uint8Array, tag: Uint8Array): boolean {
  if (tag.length !== TAG_BYTES) return false;
  let matched = false;
  for (const key of keys) {
    // Every key is tried so the time taken does not tell which one matched.
    if (timingSafeEqual(signTag(key, covered), tag)) matched = true;
  }
  return matched;
}

/**
 * Checks the tag of a raw framed datagram before any other header is trusted:
 * the SIGNED bit must be set and the last 16 bytes must be the tag of every
 * byte before them under one of the keys. The tag's place does not depend on
 * the other headers, so this runs before the frame is parsed.
 */
export function verifyDatagramTag(keys: readonly Uint8Array[], datagram: Uint8Array): boolean {
  if (datagram.length < MAGIC_BYTES + FLAGS_BYTES + TAG_BYTES) return false;
  const flags = datagram[MAGIC_BYTES] ?? 0;
  if ((flags & Flag.SIGNED) === 0) return false;
  const end = datagram.length - TAG_BYTES;
  return matchesAnyKey(keys, datagram.subarray(0, end), datagram.subarray(end));
}
