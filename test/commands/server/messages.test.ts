import { describe, expect, it } from "vitest";
import {
  bufferWarningText,
  datagramText,
  errorText,
} from "../../../src/commands/server/messages.js";
import { outcome } from "../../../src/wire/outcome.js";
import type { DecodeOutcome } from "../../../src/wire/types.js";

const from = { address: "10.0.0.5", port: 51234 };
const framed = (fields: Partial<DecodeOutcome>) => outcome("framed", fields);

describe("datagramText", () => {
  it.each([
    [framed({ entries: Array(100).fill("{}") }), "batch of 100 entries from 10.0.0.5:51234"],
    [framed({ entries: ["{}"] }), "batch of 1 entry from 10.0.0.5:51234"],
    [
      framed({ entries: ["{}"], invalidEntries: 2 }),
      "batch of 1 entry from 10.0.0.5:51234, rejected 2 invalid-entry",
    ],
    [framed({ rejected: "invalid-json" }), "rejected invalid-json from 10.0.0.5:51234 (40 bytes)"],
    [framed({ duplicate: true }), "duplicate from 10.0.0.5:51234 (40 bytes)"],
    [framed({ pending: true }), "fragment held from 10.0.0.5:51234 (40 bytes)"],
    [undefined, "rejected internal-error from 10.0.0.5:51234 (40 bytes)"],
  ])("%#: %s", (value, expected) => {
    expect(datagramText({ from, bytes: 40, outcome: value })).toBe(expected);
  });

  it("puts IPv6 senders in brackets", () => {
    const text = datagramText({ from: { address: "::1", port: 7 }, bytes: 1, outcome: undefined });
    expect(text).toBe("rejected internal-error from [::1]:7 (1 byte)");
  });
});

describe("bufferWarningText", () => {
  it("warns when the kernel granted less than asked, naming net.core.rmem_max", () => {
    const text = bufferWarningText({ askedBytes: 8388608, grantedBytes: 212992, error: undefined });
    expect(text).toContain("212992 bytes granted, 8388608 asked");
    expect(text).toContain("net.core.rmem_max");
  });

  it("says nothing when granted, or when nothing was asked", () => {
    expect(bufferWarningText({ askedBytes: 4096, grantedBytes: 4096, error: undefined })).toBe(
      undefined,
    );
    expect(bufferWarningText({ askedBytes: undefined, grantedBytes: 1, error: undefined })).toBe(
      undefined,
    );
  });

  it("reports a failure to set it", () => {
    const text = bufferWarningText({ askedBytes: 1, grantedBytes: 0, error: "EPERM" });
    expect(text).toBe("warning: could not set the receive buffer: EPERM");
  });
});

describe("errorText", () => {
  it("says that entries are counted once stdout fails", () => {
    expect(errorText(new Error("write EPIPE"), "output")).toContain("output_dropped");
    expect(errorText(new Error("boom"), "socket")).toBe("error: socket: boom");
  });
});
