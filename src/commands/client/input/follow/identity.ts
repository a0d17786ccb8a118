/**
 * How a followed file is recognised: its device and inode number (which a
 * rename keeps) and a fingerprint of its first bytes (which tells a file
 * apart from a later one that got the same inode, and notices a file
 * truncated and written again between two looks). The fingerprint is a
 * SHA-256 of the first `bytes` bytes, up to FINGERPRINT_BYTES: a file shorter
 * than that has a shorter fingerprint, taken again as it grows. Two files
 * whose first bytes are the same and that share an inode are taken for one
 * file: the limit of this scheme, rare for log files whose first line holds a
 * timestamp.
 */
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";

/** Bytes at the start of a file that its fingerprint covers at most. */
export const FINGERPRINT_BYTES = 256;

export interface Fingerprint {
  /** Hex SHA-256 (its first 16 bytes) of the file's first `bytes` bytes. */
  readonly hash: string;
  readonly bytes: number;
}

/** A file as the file system names it: device and inode. */
export interface FileId {
  readonly dev: bigint;
  readonly ino: bigint;
}

/** `dev:ino`, the key of a file in maps and in the state file. */
export function idKey(id: FileId): string {
  return `${id.dev}:${id.ino}`;
}

/** The fingerprint of a file's first bytes (at most FINGERPRINT_BYTES of `head` count). */
export function fingerprintOf(head: Uint8Array): Fingerprint {
  const bytes = Math.min(head.byteLength, FINGERPRINT_BYTES);
  const hash = createHash("sha256").update(head.subarray(0, bytes)).digest("hex").slice(0, 32);
  return { hash, bytes };
}

/** What a fresh look at a file's first bytes says about a fingerprint taken earlier. */
export type FingerprintCheck =
  /** The same first bytes; `fingerprint` may cover more of them now. */
  | { readonly same: true; readonly fingerprint: Fingerprint }
  /** Other first bytes, or fewer than before: another content (truncated, rewritten). */
  | { readonly same: false; readonly fingerprint: Fingerprint };

/** Compares `earlier` with the file's first bytes read now (`head`, up to FINGERPRINT_BYTES). */
export function checkFingerprint(earlier: Fingerprint, head: Uint8Array): FingerprintCheck {
  const now = fingerprintOf(head);
  if (head.byteLength < earlier.bytes) return { same: false, fingerprint: now };
  const prefix = now.bytes === earlier.bytes ? now : fingerprintOf(head.subarray(0, earlier.bytes));
  return { same: prefix.hash === earlier.hash, fingerprint: now };
}

/** Reads up to FINGERPRINT_BYTES from the start of an open file. */
export async function readHead(handle: FileHandle): Promise<Buffer> {
  const buffer = Buffer.alloc(FINGERPRINT_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
  return buffer.subarray(0, bytesRead);
}
