import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { resolveOptions, type ShipperOptions } from "../../src/client/shipper-options.js";
import { clientCommand } from "../../src/commands/client/options.js";
import { parseServerArgs, type ServerConfig } from "../../src/commands/server/options.js";
import { ERROR_CODES } from "../../src/foundation/errors.js";
import {
  DEFAULT_MAX_DATAGRAM_BYTES,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_PENDING_OUTPUT_BYTES,
  GIB,
  KIB,
  MAX_DATAGRAM_BYTES,
  MAX_PORT,
  MAX_RETRIES,
  MIB,
  MIN_DATAGRAM_BYTES,
  SAFE_DATAGRAM_BYTES,
} from "../../src/foundation/limits.js";
import { DATAGRAM_BYTES_BUCKETS } from "../../src/metrics/client-metrics.js";
import { DEFAULT_MAX_PENDING_OUTPUT_BYTES as OUTPUT_DEFAULT } from "../../src/server/output.js";
import * as wire from "../../src/wire/index.js";
import { FakeIO } from "../support/fake-io.js";

const STREAM = new Uint8Array(8);

function library(change: Partial<ShipperOptions>) {
  return resolveOptions({
    targetHost: "logs.example",
    targetPort: 9999,
    batchSize: 10,
    flushIntervalMs: 5000,
    batchBytes: 0,
    flushLevel: undefined,
    compress: true,
    sequenced: true,
    maxDatagramBytes: DEFAULT_MAX_DATAGRAM_BYTES,
    maxRetries: 3,
    ...change,
  });
}

function encoder(maxDatagramBytes: number) {
  return new wire.BatchEncoder({
    compress: true,
    sequenced: true,
    stream: STREAM,
    maxDatagramBytes,
  });
}

/** The client command's options for `argv`, or the commander code that refused them. */
function cli(argv: string[]): Record<string, unknown> | string {
  const command = clientCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    return command.parse(argv, { from: "user" }).opts();
  } catch (error) {
    if (error instanceof CommanderError) return error.code;
    throw error;
  }
}

function server(argv: string[]): ServerConfig {
  const config = parseServerArgs(argv, {}, new FakeIO());
  if (typeof config === "number") throw new Error(`exit ${config}`);
  return config;
}

const invalidOption = expect.objectContaining({ code: ERROR_CODES.INVALID_OPTION });

describe("the numbers", () => {
  it("are what the networks and the units make them", () => {
    expect([KIB, MIB, GIB]).toEqual([1024, 1024 ** 2, 1024 ** 3]);
    expect(MAX_PORT).toBe(2 ** 16 - 1);
    expect(MAX_DATAGRAM_BYTES).toBe(MAX_PORT - 20 - 8);
    expect(SAFE_DATAGRAM_BYTES).toBe(576 - 60 - 8);
    expect(DEFAULT_MAX_DATAGRAM_BYTES).toBe(MAX_DATAGRAM_BYTES);
  });

  it("leave room for a payload in the smallest datagram, whatever its headers", () => {
    const largest = wire.frameOverhead({ stream: STREAM, seq: 0, key: new Uint8Array(1) });
    const fragment = wire.frameOverhead({
      stream: STREAM,
      seq: 0,
      key: new Uint8Array(1),
      fragmentIndex: 0,
      fragmentCount: 2,
    });
    expect(Math.max(largest, fragment)).toBeLessThan(MIN_DATAGRAM_BYTES);
    expect(MIN_DATAGRAM_BYTES).toBeLessThan(SAFE_DATAGRAM_BYTES);
  });
});

describe("the datagram bounds", () => {
  it("hold in the encoder", () => {
    expect(() => encoder(MIN_DATAGRAM_BYTES)).not.toThrow();
    expect(() => encoder(MAX_DATAGRAM_BYTES)).not.toThrow();
    expect(() => encoder(MIN_DATAGRAM_BYTES - 1)).toThrow(invalidOption);
    expect(() => encoder(MAX_DATAGRAM_BYTES + 1)).toThrow(invalidOption);
    expect(wire.MAX_DATAGRAM_BYTES).toBe(MAX_DATAGRAM_BYTES);
    expect(wire.MIN_DATAGRAM_BYTES).toBe(MIN_DATAGRAM_BYTES);
  });

  it("hold in the client library, whose default is the largest", () => {
    expect(library({ maxDatagramBytes: MIN_DATAGRAM_BYTES }).maxDatagramBytes).toBe(
      MIN_DATAGRAM_BYTES,
    );
    expect(library({ maxDatagramBytes: MAX_DATAGRAM_BYTES }).maxDatagramBytes).toBe(
      MAX_DATAGRAM_BYTES,
    );
    expect(() => library({ maxDatagramBytes: MIN_DATAGRAM_BYTES - 1 })).toThrow(invalidOption);
    expect(() => library({ maxDatagramBytes: MAX_DATAGRAM_BYTES + 1 })).toThrow(invalidOption);
  });

  it("hold in the client command, from the safe payload up, the largest by default", () => {
    expect(cli([])).toMatchObject({ maxDatagram: MAX_DATAGRAM_BYTES });
    expect(cli(["--max-datagram", String(SAFE_DATAGRAM_BYTES)])).toMatchObject({
      maxDatagram: SAFE_DATAGRAM_BYTES,
    });
    expect(cli(["--max-datagram", String(MAX_DATAGRAM_BYTES)])).toMatchObject({
      maxDatagram: MAX_DATAGRAM_BYTES,
    });
    expect(cli(["--max-datagram", String(SAFE_DATAGRAM_BYTES - 1)])).toBe(
      "commander.invalidArgument",
    );
    expect(cli(["--max-datagram", String(MAX_DATAGRAM_BYTES + 1)])).toBe(
      "commander.invalidArgument",
    );
  });

  it("bound the datagram histogram: the safe payload is a bucket, the largest the last", () => {
    expect(DATAGRAM_BYTES_BUCKETS).toContain(SAFE_DATAGRAM_BYTES);
    expect(DATAGRAM_BYTES_BUCKETS.at(-1)).toBe(MAX_DATAGRAM_BYTES);
    expect([...DATAGRAM_BYTES_BUCKETS].sort((a, b) => a - b)).toEqual(DATAGRAM_BYTES_BUCKETS);
  });
});

describe("the retry bound", () => {
  it("is the same in the library and in the command", () => {
    expect(library({ maxRetries: MAX_RETRIES }).maxRetries).toBe(MAX_RETRIES);
    expect(() => library({ maxRetries: MAX_RETRIES + 1 })).toThrow(invalidOption);
    expect(cli(["--max-retries", String(MAX_RETRIES)])).toMatchObject({ maxRetries: MAX_RETRIES });
    expect(cli(["--max-retries", String(MAX_RETRIES + 1)])).toBe("commander.invalidArgument");
  });
});

describe("the port bound", () => {
  it("is the same in the library and in both commands", () => {
    expect(library({ targetPort: MAX_PORT }).targetPort).toBe(MAX_PORT);
    expect(() => library({ targetPort: MAX_PORT + 1 })).toThrow(invalidOption);
    expect(cli(["--target-port", String(MAX_PORT + 1)])).toBe("commander.invalidArgument");
    expect(server(["--port", String(MAX_PORT)]).port).toBe(MAX_PORT);
    expect(() => server(["--port", String(MAX_PORT + 1)])).toThrow("exit 2");
  });
});

describe("the server's defaults", () => {
  it("are the libraries' defaults, and its help names them in binary units", () => {
    const config = server([]);
    expect(config.maxDecompressedBytes).toBe(DEFAULT_MAX_DECOMPRESSED_BYTES);
    expect(config.maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(config.maxPendingOutputBytes).toBe(DEFAULT_MAX_PENDING_OUTPUT_BYTES);
    expect(OUTPUT_DEFAULT).toBe(DEFAULT_MAX_PENDING_OUTPUT_BYTES);
    expect(wire.DEFAULT_MAX_DECOMPRESSED_BYTES).toBe(DEFAULT_MAX_DECOMPRESSED_BYTES);
    expect(wire.DEFAULT_MAX_MESSAGE_BYTES).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    const io = new FakeIO();
    expect(parseServerArgs(["--help"], {}, io)).toBe(0);
    for (const text of ["(default: 1MiB)", "(default: 4MiB)", "(default: 64MiB)"]) {
      expect(io.stdout.text).toContain(text);
    }
  });
});

describe("the source", () => {
  it("writes the largest datagram in src/foundation/limits.ts alone", () => {
    const root = fileURLToPath(new URL("../../src/", import.meta.url));
    const writers = readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .filter((file) => /\b65_?5[02]7\b/.test(readFileSync(join(root, file), "utf8")));
    expect(writers).toEqual([join("foundation", "limits.ts")]);
  });
});
