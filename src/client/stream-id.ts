/**
 * A new stream id: STREAM_ID_BYTES random bytes, from /dev/urandom where
 * there is one (a read of a few bytes, without loading node:crypto, which
 * would take a noticeable part of a short run's start-up), from
 * node:crypto's generator elsewhere.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { STREAM_ID_BYTES } from "../wire/index.js";

type Crypto = typeof import("node:crypto");

export function newStreamId(): Uint8Array {
  const id = new Uint8Array(STREAM_ID_BYTES);
  return fromUrandom(id) ? id : fromCrypto(id);
}

/** Fills `bytes` from /dev/urandom; false when it cannot be read in full. */
export function fromUrandom(bytes: Uint8Array, path = "/dev/urandom"): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return readSync(fd, bytes) === bytes.length;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fromCrypto(bytes: Uint8Array): Uint8Array {
  const crypto = createRequire(import.meta.url)("node:crypto") as Crypto;
  return crypto.randomFillSync(bytes);
}
