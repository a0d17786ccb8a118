/**
 * Datagrams the kernel dropped before the server could read them (receive
 * buffer full), read from Linux's /proc:
 *
 * 1. `socket`: the `drops` column of /proc/net/udp or /proc/net/udp6 for the
 *    server's own socket, found by its local port among the socket inodes of
 *    this process (/proc/self/fd links `socket:[INODE]`);
 * 2. `system`: when that socket cannot be singled out, `RcvbufErrors` of
 *    /proc/net/snmp (plus `Udp6RcvbufErrors` of /proc/net/snmp6): every UDP
 *    socket of the host, or of its network namespace in a container;
 * 3. `unavailable`: no /proc (not Linux, or hidden): the count is null, never
 *    a made-up 0.
 *
 * Counts are relative to the first reading, taken when the socket is bound.
 * With `socket`, the same row also tells how many bytes wait in the socket's
 * receive queue (`queuedBytes`), which shutdown drains and reports.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export type KernelDropsSource = "socket" | "system" | "unavailable";

export interface KernelDrops {
  /** Datagrams dropped since the server started; null when the system does not tell. */
  readonly drops: number | null;
  readonly source: KernelDropsSource;
}

export interface KernelDropsCounter {
  /** Reads the counter now. */
  read(): KernelDrops;
  /**
   * Bytes waiting in the socket's receive queue now: the kernel's charge for
   * the queued datagrams, its per-datagram overhead included. Null (or the
   * method absent) when the socket cannot be singled out.
   */
  queuedBytes?(): number | null;
}

/** What is read from /proc; injectable so tests use golden text. */
export interface ProcFiles {
  /** A file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /** Inodes of this process's sockets, or undefined when they cannot be listed. */
  socketInodes(): ReadonlySet<string> | undefined;
}

export const systemProc: ProcFiles = {
  read(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  socketInodes() {
    try {
      const inodes = new Set<string>();
      for (const fd of readdirSync("/proc/self/fd")) {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
          if (match?.[1] !== undefined) inodes.add(match[1]);
        } catch {
          // The fd closed while listing (the listing's own fd, for one).
        }
      }
      return inodes;
    } catch {
      return undefined;
    }
  },
};

/** One socket of /proc/net/udp or /proc/net/udp6. */
export interface UdpSocketRow {
  readonly localPort: number;
  readonly inode: string;
  /** Bytes waiting in the socket's receive queue. */
  readonly rxQueueBytes: number;
  /** Absent on kernels without the column. */
  readonly drops: number | undefined;
}

/** The rows of /proc/net/udp or /proc/net/udp6 text (the header line skipped). */
export function parseProcNetUdp(text: string): UdpSocketRow[] {
  const rows: UdpSocketRow[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    const local = fields[1] ?? "";
    const inode = fields[9];
    if (!/^\d+:$/.test(fields[0] ?? "") || inode === undefined || !/^\d+$/.test(inode)) continue;
    const portHex = local.slice(local.lastIndexOf(":") + 1);
    if (!/^[0-9A-Fa-f]{1,4}$/.test(portHex)) continue;
    const drops = fields[12];
    const rxQueue = fields[4]?.split(":")[1] ?? "";
    rows.push({
      localPort: Number.parseInt(portHex, 16),
      inode,
      rxQueueBytes: /^[0-9A-Fa-f]+$/.test(rxQueue) ? Number.parseInt(rxQueue, 16) : 0,
      drops: drops !== undefined && /^\d+$/.test(drops) ? Number(drops) : undefined,
    });
  }
  return rows;
}

/** `RcvbufErrors` of the `Udp:` lines of /proc/net/snmp (a header line, then values). */
export function parseSnmpRcvbufErrors(text: string): number | undefined {
  const lines = text.split("\n").filter((line) => line.startsWith("Udp: "));
  const names = lines[0]?.trim().split(/\s+/) ?? [];
  const values = lines[1]?.trim().split(/\s+/) ?? [];
  const value = values[names.indexOf("RcvbufErrors")];
  return names.includes("RcvbufErrors") && value !== undefined && /^\d+$/.test(value)
    ? Number(value)
    : undefined;
}

/** `Udp6RcvbufErrors` of /proc/net/snmp6 (one `name value` pair per line). */
export function parseSnmp6RcvbufErrors(text: string): number | undefined {
  const match = /^Udp6RcvbufErrors\s+(\d+)\s*$/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

const UDP_FILES = ["/proc/net/udp", "/proc/net/udp6"] as const;

/** Every UDP socket of /proc/net/udp and /proc/net/udp6. */
export function udpRows(proc: ProcFiles = systemProc): UdpSocketRow[] {
  return UDP_FILES.flatMap((path) => parseProcNetUdp(proc.read(path) ?? ""));
}

/** The socket bound to `port` in this process and its file, when exactly one can be told apart. */
function ownSocket(
  proc: ProcFiles,
  port: number,
): { readonly row: UdpSocketRow; readonly path: string } | undefined {
  let candidates = UDP_FILES.flatMap((path) =>
    parseProcNetUdp(proc.read(path) ?? "").map((row) => ({ row, path })),
  ).filter(({ row }) => row.localPort === port && row.drops !== undefined);
  const inodes = proc.socketInodes();
  if (inodes !== undefined) candidates = candidates.filter(({ row }) => inodes.has(row.inode));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function systemRcvbufErrors(proc: ProcFiles): number | undefined {
  const v4 = parseSnmpRcvbufErrors(proc.read("/proc/net/snmp") ?? "");
  const v6 = parseSnmp6RcvbufErrors(proc.read("/proc/net/snmp6") ?? "");
  if (v4 === undefined && v6 === undefined) return undefined;
  return (v4 ?? 0) + (v6 ?? 0);
}

const WRAP = 2 ** 32;

function socketCounter(proc: ProcFiles, row: UdpSocketRow, path: string): KernelDropsCounter {
  // Only the file the socket was found in is read again (udp or udp6).
  const current = () => parseProcNetUdp(proc.read(path) ?? "").find((r) => r.inode === row.inode);
  // The column is a 32-bit counter: sum the steps between readings, modulo 2^32.
  let raw = row.drops ?? 0;
  let total = 0;
  return {
    read() {
      const now = current()?.drops;
      if (now !== undefined) {
        total += (now - raw + WRAP) % WRAP;
        raw = now;
      }
      return { drops: total, source: "socket" };
    },
    queuedBytes: () => current()?.rxQueueBytes ?? null,
  };
}

function systemCounter(proc: ProcFiles, baseline: number): KernelDropsCounter {
  let last = 0;
  return {
    read() {
      const now = systemRcvbufErrors(proc);
      if (now !== undefined) last = Math.max(last, now - baseline);
      return { drops: last, source: "system" };
    },
  };
}

/**
 * Starts counting kernel drops for the UDP socket bound to `port` by this
 * process; call it once the socket is bound.
 */
export function watchKernelDrops(port: number, proc: ProcFiles = systemProc): KernelDropsCounter {
  const own = ownSocket(proc, port);
  if (own !== undefined) return socketCounter(proc, own.row, own.path);
  const baseline = systemRcvbufErrors(proc);
  if (baseline !== undefined) return systemCounter(proc, baseline);
  return { read: () => ({ drops: null, source: "unavailable" }) };
}
