import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { ROOT } from "../support/process.js";

/** An app that logs, waits for its first datagram, then logs an error and exits at once. */
const APP = `
import { createShipper } from "./dist/index.js";
const shipper = createShipper({
  target: "127.0.0.1:" + process.argv[1],
  flushLevel: "ERROR",
  compressThread: false,
});
shipper.log({ level: "INFO", message: "first" });
await shipper.flush();
shipper.log({ level: "ERROR", message: "last words" });
process.exit(3);
`;

/** An app whose first log call, at flushLevel, makes the shipper's first datagram, then exits at once. */
const FRESH_APP = `
import { createShipper } from "./dist/index.js";
const shipper = createShipper({ target: "127.0.0.1:" + process.argv[1], flushLevel: "ERROR" });
shipper.log({ level: "ERROR", message: "first words" });
process.exit(3);
`;

describe("a datagram made just before process.exit()", () => {
  it.each([
    ["after a send", APP, ["first", "last words"]],
    ["as the shipper's first, its target an address", FRESH_APP, ["first words"]],
  ])("still goes out %s: what a link holds is sent at exit", async (_, app, expected) => {
    const receiver = dgram.createSocket("udp4");
    const messages: string[] = [];
    const decoder = createDecoder({ now: () => 0 });
    receiver.on("message", (datagram) => {
      for (const entry of decoder.decode(datagram).entries) {
        messages.push((JSON.parse(entry) as { message: string }).message);
      }
    });
    receiver.bind(0, "127.0.0.1");
    await once(receiver, "listening");
    try {
      const child = spawn(
        process.execPath,
        ["--input-type=module", "-e", app, String(receiver.address().port)],
        { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(child, "exit");
      expect(stderr).toBe("");
      expect(code).toBe(3);
      await expect.poll(() => messages, { timeout: 2_000 }).toEqual(expected);
    } finally {
      receiver.close();
    }
  });
});
