/** Kernel counters of a UDP socket, from /proc/net/udp and /proc/net/udp6 (Linux only). */
import { udpRows } from "../../src/server/kernel-drops.js";

export interface UdpSocketCounters {
  /** Bytes waiting in the receive queue. */
  readonly rxQueueBytes: number;
  /** Datagrams the kernel dropped for this socket (receive buffer full, mostly). */
  readonly drops: number;
}

/** The counters of the socket bound to `port`, or undefined where Linux does not show them. */
export function udpCounters(port: number): UdpSocketCounters | undefined {
  const row = udpRows().find((r) => r.localPort === port);
  if (row === undefined) return undefined;
  return { rxQueueBytes: row.rxQueueBytes, drops: row.drops ?? 0 };
}
