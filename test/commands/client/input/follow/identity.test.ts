import { describe, expect, it } from "vitest";
import {
  checkFingerprint,
  FINGERPRINT_BYTES,
  fingerprintOf,
  idKey,
} from "../../../../../src/commands/client/input/follow/identity.js";

const text = (value: string) => Buffer.from(value);

describe("fingerprints", () => {
  it("covers at most FINGERPRINT_BYTES of the head", () => {
    const long = Buffer.alloc(1000, 0x61);
    expect(fingerprintOf(long).bytes).toBe(FINGERPRINT_BYTES);
    expect(fingerprintOf(long)).toEqual(fingerprintOf(long.subarray(0, FINGERPRINT_BYTES)));
    expect(fingerprintOf(text("abc")).bytes).toBe(3);
    expect(fingerprintOf(text("abc")).hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("the same start is the same file, and the fingerprint grows with it", () => {
    const earlier = fingerprintOf(text("2026-01-01 first\n"));
    const check = checkFingerprint(earlier, text("2026-01-01 first\n2026-01-01 second\n"));
    expect(check.same).toBe(true);
    expect(check.fingerprint.bytes).toBe(35);
  });

  it("other first bytes, or fewer of them, are another content", () => {
    const earlier = fingerprintOf(text("2026-01-01 first\n"));
    expect(checkFingerprint(earlier, text("2026-01-02 other\n")).same).toBe(false);
    expect(checkFingerprint(earlier, text("2026-01")).same).toBe(false);
    expect(checkFingerprint(earlier, text("")).same).toBe(false);
  });

  it("an empty file's fingerprint matches anything", () => {
    expect(checkFingerprint(fingerprintOf(text("")), text("anything")).same).toBe(true);
  });

  it("keys files by device and inode", () => {
    expect(idKey({ dev: 2049n, ino: 18446744073709551615n })).toBe("2049:18446744073709551615");
  });
});
