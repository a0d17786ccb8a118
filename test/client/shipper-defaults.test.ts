import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { resolveOptions, type ShipperOptions } from "../../src/client/shipper-options.js";
import { ERROR_CODES, ShipperError } from "../../src/foundation/errors.js";
import {
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CLIENT_COMPRESSION_LEVEL,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_DATAGRAM_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_SERVICE,
} from "../../src/foundation/limits.js";

function refusal(options: unknown): ShipperError {
  try {
    resolveOptions(options as ShipperOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ShipperError);
    expect((error as ShipperError).code).toBe(ERROR_CODES.INVALID_OPTION);
    return error as ShipperError;
  }
  throw new Error("no error thrown");
}

describe("createShipper's options", () => {
  it("need only a target: the rest are the command's defaults", () => {
    const config = resolveOptions({ target: "logs.internal:5140" });
    expect(config).toMatchObject({
      targetHost: "logs.internal",
      targetPort: 5140,
      batch: {
        batchSize: DEFAULT_BATCH_SIZE,
        flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
        batchBytes: DEFAULT_BATCH_BYTES,
        flushLevel: undefined,
      },
      compress: true,
      compressThread: true,
      compressionLevel: DEFAULT_CLIENT_COMPRESSION_LEVEL,
      sequenced: true,
      maxDatagramBytes: DEFAULT_MAX_DATAGRAM_BYTES,
      maxRetries: DEFAULT_MAX_RETRIES,
      service: DEFAULT_SERVICE,
      host: hostname(),
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("take targetHost with a default port", () => {
    expect(resolveOptions({ targetHost: "h" })).toMatchObject({
      targetHost: "h",
      targetPort: 9999,
    });
  });

  it.each<[string, unknown, RegExp]>([
    ["no target", {}, /^target must be given/],
    ["not an object", undefined, /^options must be an object/],
    ["target and targetHost", { target: "a:1", targetHost: "b" }, /cannot be combined/],
    ["a bad port", { targetHost: "h", targetPort: 0 }, /^targetPort/],
    [
      "compress not a boolean",
      { target: "h:1", compress: "yes" },
      /^compress must be true or false/,
    ],
    ["sequenced not a boolean", { target: "h:1", sequenced: 1 }, /^sequenced/],
    ["batchSize 0", { target: "h:1", batchSize: 0 }, /^batchSize/],
    ["compressionLevel 10", { target: "h:1", compressionLevel: 10 }, /^compressionLevel .* 0 to 9/],
    ["compressionLevel -1", { target: "h:1", compressionLevel: -1 }, /^compressionLevel/],
    ["compressionLevel 1.5", { target: "h:1", compressionLevel: 1.5 }, /^compressionLevel/],
    ["maxRetries too many", { target: "h:1", maxRetries: 1000 }, /^maxRetries/],
    ["an empty service", { target: "h:1", service: "" }, /^service must be a non-empty string/],
    ["host not a string", { target: "h:1", host: 5 }, /^host must be/],
    ["lookup not a function", { target: "h:1", lookup: "dns" }, /^lookup must be a function/],
    ["observer not an object", { target: "h:1", observer: 3 }, /^observer must be an object/],
  ])("refuse %s with a coded error naming it", (_name, options, message) => {
    expect(refusal(options).message).toMatch(message);
  });
});
