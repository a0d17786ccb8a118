/** Kernel counters of a UDP socket, from /proc/net/udp and /proc/net/udp6 (Linux only). */
import { readFileSync } from "node:fs";

export interface UdpSocketCounters {
  /** Bytes waiting in the receive queue. */
  readonly rxQueueBytes: number;
  /** Datagrams the kernel dropped for this socket (receive buffer full, mostly). */
  readonly drops: number;
}

/** The counters of the socket bound to `port`, or undefined where Linux does not show them. */
export function udpCounters(port: number): UdpSocketCounters | undefined {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const row of text.split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (!fields[1]?.endsWith(suffix)) continue;
      const rxQueue = fields[4]?.split(":")[1] ?? "0";
      return { rxQueueBytes: Number.parseInt(rxQueue, 16), drops: Number(fields.at(-1) ?? 0) };
    }
  }
  return undefined;
}
