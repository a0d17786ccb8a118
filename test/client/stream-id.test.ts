import { describe, expect, it } from "vitest";
import { fromUrandom, newStreamId } from "../../src/client/stream-id.js";
import { STREAM_ID_BYTES } from "../../src/wire/index.js";

describe("newStreamId", () => {
  it("gives STREAM_ID_BYTES bytes, a new id each time", () => {
    const ids = Array.from({ length: 20 }, () => newStreamId());
    for (const id of ids) expect(id).toHaveLength(STREAM_ID_BYTES);
    expect(new Set(ids.map((id) => Buffer.from(id).toString("hex"))).size).toBe(ids.length);
  });
});

describe("fromUrandom", () => {
  it("fills the bytes from the device", () => {
    const bytes = new Uint8Array(64);
    expect(fromUrandom(bytes)).toBe(true);
    expect(bytes.some((byte) => byte !== 0)).toBe(true);
  });

  it("says so when the device cannot be read, leaving the bytes alone", () => {
    const bytes = new Uint8Array(8);
    expect(fromUrandom(bytes, "/nonexistent/urandom")).toBe(false);
    expect(fromUrandom(bytes, "/")).toBe(false);
    expect([...bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("says so when the source gives fewer bytes than asked", () => {
    expect(fromUrandom(new Uint8Array(8), "/dev/null")).toBe(false);
  });
});
