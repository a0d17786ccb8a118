/**
 * The built server re-reads its key files on SIGHUP and swaps its keys
 * while it runs: same process, same socket, same counters. A key file that
 * cannot be read keeps the keys in use; without key files SIGHUP is a note.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeFrame } from "../../src/wire/index.js";
import { handled, type Run, SERVER_BIN, startServer, stop } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const dir = mkdtempSync(join(tmpdir(), "key-reload-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = (text: string) => Buffer.from(text, "utf8");
const STREAM = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);

function writeKeyFile(path: string, text: string, mode = 0o600): void {
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/** A datagram of one entry `{"seq":N}`, signed with `key` (unsigned without). */
function datagram(seq: number, key?: string): Uint8Array {
  const spec = { compressed: false, stream: STREAM, seq };
  const payload = utf8(`[{"seq":${seq}}]`);
  return encodeFrame(key === undefined ? spec : { ...spec, key: utf8(key) }, payload);
}

/** Sends SIGHUP and resolves with the server's answer: the next stderr line naming SIGHUP. */
async function hangUp(server: Run): Promise<string> {
  const answers = () => server.stderr.filter((line) => line.includes("SIGHUP"));
  const before = answers().length;
  server.child.kill("SIGHUP");
  await server.until("stderr", () => answers().length > before);
  return answers()[before] ?? "";
}

describe("shipper-server on SIGHUP", () => {
  it.each([[1], [2]])(
    "swaps key A for key B without a restart: A refused and B accepted after (--workers %i)",
    async (workers) => {
      const path = join(dir, `rotate-${workers}.key`);
      writeKeyFile(path, "alpha\n");
      const { server, port } = await startServer([
        "--auth-key-file",
        path,
        "--verbose",
        "--workers",
        String(workers),
      ]);
      await sendAll([datagram(0, "alpha")], port);
      await server.until("stdout", (lines) => lines.length >= 1);

      writeKeyFile(path, "bravo\n");
      expect(await hangUp(server)).toBe(`shipper-server: SIGHUP: 1 key loaded from ${path}`);
      await sendAll([datagram(1, "alpha"), datagram(1, "bravo")], port);
      await handled(server, 3);

      const { code, summary } = await stop(server);
      expect(code).toBe(0);
      expect(server.stdout).toEqual(['{"seq":0}', '{"seq":1}']);
      expect(server.stderr.filter((line) => line.includes("listening on"))).toHaveLength(1);
      expect(summary).toMatchObject({
        datagrams: 3,
        entries: 2,
        lost: 0,
        duplicates: 0,
        rejected: { unauthenticated: 1 },
      });
    },
  );

  it("keeps the keys in use when a key file is emptied or removed, and SHIPPER_AUTH_KEY throughout", async () => {
    const path = join(dir, "broken.key");
    writeKeyFile(path, "alpha\n");
    const { server, port } = await startServer(["--auth-key-file", path, "--verbose"], {
      SHIPPER_AUTH_KEY: "charlie",
    });

    writeKeyFile(path, "\n");
    expect(await hangUp(server)).toBe(
      `shipper-server: SIGHUP: ${path} holds no key; keeping the previous keys`,
    );
    rmSync(path);
    expect(await hangUp(server)).toBe(
      `shipper-server: SIGHUP: cannot read ${path} (ENOENT); keeping the previous keys`,
    );
    await sendAll([datagram(0, "alpha"), datagram(1, "charlie")], port);
    await handled(server, 2);

    writeKeyFile(path, "bravo\n", 0o644);
    expect(await hangUp(server)).toBe(
      `shipper-server: SIGHUP: 2 keys loaded from ${path} and SHIPPER_AUTH_KEY`,
    );
    expect(server.stderr.at(-2)).toBe(
      `shipper-server: warning: key file ${path} is accessible by group or others` +
        ` (mode 0644); chmod 600 ${path}`,
    );
    await sendAll([datagram(2, "alpha"), datagram(2, "bravo"), datagram(3, "charlie")], port);
    await handled(server, 5);

    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(server.stdout).toEqual(['{"seq":0}', '{"seq":1}', '{"seq":2}', '{"seq":3}']);
    expect(summary).toMatchObject({ datagrams: 5, entries: 4, rejected: { unauthenticated: 1 } });
  });

  it("without a key file, notes that there is nothing to re-read and goes on serving", async () => {
    const { server, port } = await startServer(["--quiet"]);
    expect(await hangUp(server)).toBe(
      "shipper-server: SIGHUP ignored: no --auth-key-file to re-read",
    );
    expect(await hangUp(server)).toBe(
      "shipper-server: SIGHUP ignored: no --auth-key-file to re-read",
    );
    await sendAll([datagram(0)], port);
    await server.until("stdout", (lines) => lines.length >= 1);

    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(server.stdout).toEqual(['{"seq":0}']);
    expect(summary).toMatchObject({ datagrams: 1, entries: 1 });
  });

  it("a SIGHUP as it exits, after the summary: still exit 0, never ended by the signal", async () => {
    for (let run = 0; run < 4; run++) {
      // stdout not a pipe: the server ends by leaving the event loop, which takes some ms.
      const child = spawn(process.execPath, [SERVER_BIN, "--host", "127.0.0.1", "--port", "0"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      const exit = new Promise<[number | null, string | null]>((resolve) =>
        child.once("exit", (code, signal) => resolve([code, signal])),
      );
      let text = "";
      const seen = (pattern: RegExp) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (!pattern.test(text)) return;
            child.stderr.off("data", read);
            resolve();
          };
          const read = (chunk: Buffer) => {
            text += chunk.toString();
            check();
          };
          child.stderr.on("data", read);
          check();
        });
      await seen(/listening on/);
      child.kill("SIGTERM");
      await Promise.race([seen(/\n\{.*\}\n$/), exit]);
      child.kill("SIGHUP");
      expect(await exit).toEqual([0, null]);
    }
  });
});
