/**
 * A real flood: the built server, with the smallest receive buffer, is
 * stopped (SIGSTOP) while a burst arrives, so the kernel drops most of it.
 * Its summary then shows those drops, read from its own socket, and every
 * datagram sent is either counted by the server or among the kernel's drops.
 */
import { describe, expect, it } from "vitest";
import { startServer, stop } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const BURST = 300;

describe.runIf(process.platform === "linux")("kernel drops of the built server", () => {
  it("shows the datagrams the kernel dropped while the server could not read", async () => {
    const { server, port } = await startServer(["--buffer-size", "1", "--stats-interval", "0"]);
    const pid = server.child.pid ?? 0;
    const datagram = (n: number) => Buffer.from(`[{"n":${n},"pad":"${"x".repeat(900)}"}]`);
    let sent = 0;
    process.kill(pid, "SIGSTOP");
    try {
      await sendAll(
        Array.from({ length: BURST }, (_, n) => datagram(n)),
        port,
      );
      sent += BURST;
    } finally {
      process.kill(pid, "SIGCONT");
    }
    // Once the last datagram sent shows up on stdout, every earlier one was read or dropped.
    for (let marker = BURST; ; marker++) {
      await sendAll([datagram(marker)], port);
      sent += 1;
      const seen = server.until("stdout", (lines) =>
        lines.some((l) => l.includes(`"n":${marker},`)),
      );
      const paced = new Promise<false>((resolve) => setTimeout(() => resolve(false), 200));
      if (await Promise.race([seen.then(() => true), paced])) break;
    }
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(summary.kernel_drops_source).toBe("socket");
    const drops = summary.kernel_drops as number;
    expect(drops).toBeGreaterThan(0);
    expect((summary.datagrams as number) + drops).toBe(sent);
    expect(server.stdout).toHaveLength(summary.entries as number);
  });
});
