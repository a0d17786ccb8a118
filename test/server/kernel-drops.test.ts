import { describe, expect, it } from "vitest";
import {
  type ProcFiles,
  parseProcNetUdp,
  parseSnmp6RcvbufErrors,
  parseSnmpRcvbufErrors,
  watchKernelDrops,
} from "../../src/server/kernel-drops.js";

// Golden text as Linux 6.x prints it (port 0x270F = 9999, 0xE64D = 58957).
const UDP_HEADER =
  "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n";
const udpRow = (sl: number, local: string, inode: number, drops: number) =>
  `${String(sl).padStart(5)}: ${local} 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 2 000000001dbe708f ${drops}         \n`;
const UDP6_HEADER =
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";
const udp6Row = (sl: number, port: string, inode: number, drops: number) =>
  `${String(sl).padStart(5)}: 00000000000000000000000000000000:${port} 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 2 0000000000000000 ${drops}\n`;

const SNMP = (rcvbufErrors: number) =>
  "Ip: Forwarding DefaultTTL InReceives\nIp: 1 64 1234\n" +
  "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n" +
  `Udp: 99224 10762 21865 131860 ${rcvbufErrors} 0 0 0 0\n` +
  "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n" +
  "UdpLite: 0 0 0 0 77 0 0 0 0\n";
const SNMP6 = (rcvbufErrors: number) =>
  `Udp6InDatagrams                 \t8\nUdp6NoPorts                     \t0\nUdp6RcvbufErrors                \t${rcvbufErrors}\nUdp6SndbufErrors                \t0\n`;

describe("parsing /proc", () => {
  it("reads port, inode and drops of every row of /proc/net/udp", () => {
    const text = `${UDP_HEADER}${udpRow(283, "00000000:270F", 123456, 0)}${udpRow(11870, "0100007F:E64D", 85760, 42)}`;
    expect(parseProcNetUdp(text)).toEqual([
      { localPort: 9999, inode: "123456", rxQueueBytes: 0, drops: 0 },
      { localPort: 58957, inode: "85760", rxQueueBytes: 0, drops: 42 },
    ]);
  });

  it("reads /proc/net/udp6 rows the same way", () => {
    expect(parseProcNetUdp(`${UDP6_HEADER}${udp6Row(5, "270F", 777, 3)}`)).toEqual([
      { localPort: 9999, inode: "777", rxQueueBytes: 0, drops: 3 },
    ]);
  });

  it("leaves drops undefined on kernels without the column, and skips junk lines", () => {
    const old =
      "  1: 00000000:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 555 2 ff\n";
    expect(parseProcNetUdp(`${UDP_HEADER}${old}garbage\n\n`)).toEqual([
      { localPort: 9999, inode: "555", rxQueueBytes: 0, drops: undefined },
    ]);
    expect(parseProcNetUdp("")).toEqual([]);
  });

  it("reads the bytes waiting in the receive queue", () => {
    const queued = udpRow(3, "0100007F:270F", 999, 7).replace(
      "00000000:00000000",
      "00000000:00000A00",
    );
    expect(parseProcNetUdp(`${UDP_HEADER}${queued}`)).toEqual([
      { localPort: 9999, inode: "999", rxQueueBytes: 2560, drops: 7 },
    ]);
  });

  it("reads RcvbufErrors of the Udp lines of /proc/net/snmp, not of UdpLite", () => {
    expect(parseSnmpRcvbufErrors(SNMP(21865))).toBe(21865);
    expect(parseSnmpRcvbufErrors("Ip: Forwarding\nIp: 1\n")).toBe(undefined);
  });

  it("reads Udp6RcvbufErrors of /proc/net/snmp6", () => {
    expect(parseSnmp6RcvbufErrors(SNMP6(12))).toBe(12);
    expect(parseSnmp6RcvbufErrors("Udp6InDatagrams 8\n")).toBe(undefined);
  });
});

/** /proc as a map of paths to text, changed by the test between readings. */
function fakeProc(
  files: Record<string, string>,
  inodes?: string[],
): ProcFiles & {
  files: Record<string, string>;
} {
  return {
    files,
    read: (path) => files[path],
    socketInodes: () => (inodes === undefined ? undefined : new Set(inodes)),
  };
}

describe("watchKernelDrops", () => {
  it("follows the drops of this process's socket on the port, from the first reading", () => {
    const proc = fakeProc(
      {
        "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 7)}${udpRow(2, "00000000:1F90", 501, 9)}`,
        "/proc/net/udp6": `${UDP6_HEADER}${udp6Row(3, "270F", 600, 1000)}`,
        "/proc/net/snmp": SNMP(5),
      },
      ["500", "12"],
    );
    const drops = watchKernelDrops(9999, proc);
    expect(drops.read()).toEqual({ drops: 0, source: "socket" });
    proc.files["/proc/net/udp"] = `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 19)}`;
    expect(drops.read()).toEqual({ drops: 12, source: "socket" });
  });

  it("finds a udp6 socket, and counts across the 32-bit wrap of the column", () => {
    const proc = fakeProc(
      { "/proc/net/udp6": `${UDP6_HEADER}${udp6Row(3, "270F", 600, 2 ** 32 - 2)}` },
      ["600"],
    );
    const drops = watchKernelDrops(9999, proc);
    proc.files["/proc/net/udp6"] = `${UDP6_HEADER}${udp6Row(3, "270F", 600, 3)}`;
    expect(drops.read()).toEqual({ drops: 5, source: "socket" });
  });

  it("keeps the last count once the socket is gone", () => {
    const proc = fakeProc({
      "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 0)}`,
    });
    const drops = watchKernelDrops(9999, proc);
    proc.files["/proc/net/udp"] = `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 4)}`;
    expect(drops.read().drops).toBe(4);
    proc.files["/proc/net/udp"] = UDP_HEADER;
    expect(drops.read()).toEqual({ drops: 4, source: "socket" });
  });

  it("matches by port alone when the process's sockets cannot be listed", () => {
    const proc = fakeProc({
      "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 2)}`,
    });
    expect(watchKernelDrops(9999, proc).read()).toEqual({ drops: 0, source: "socket" });
  });

  it("falls back to the system-wide RcvbufErrors, relative to start, when the socket is ambiguous", () => {
    const proc = fakeProc({
      "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 0)}${udpRow(2, "0100007F:270F", 501, 0)}`,
      "/proc/net/snmp": SNMP(100),
      "/proc/net/snmp6": SNMP6(10),
    });
    const drops = watchKernelDrops(9999, proc);
    expect(drops.read()).toEqual({ drops: 0, source: "system" });
    proc.files["/proc/net/snmp"] = SNMP(130);
    proc.files["/proc/net/snmp6"] = SNMP6(12);
    expect(drops.read()).toEqual({ drops: 32, source: "system" });
  });

  it("falls back to the system-wide count when no row is this process's socket", () => {
    const proc = fakeProc(
      {
        "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 3)}`,
        "/proc/net/snmp": SNMP(1),
      },
      ["999"],
    );
    expect(watchKernelDrops(9999, proc).read()).toEqual({ drops: 0, source: "system" });
  });

  it("says unavailable, with a null count, where /proc does not tell", () => {
    const drops = watchKernelDrops(9999, fakeProc({}));
    expect(drops.read()).toEqual({ drops: null, source: "unavailable" });
    expect(drops.queuedBytes?.() ?? null).toBe(null);
  });
});

describe("queuedBytes", () => {
  const queued = (row: string, hex: string) => row.replace("00000000:00000000", `00000000:${hex}`);

  it("reads the receive queue of this process's socket, udp or udp6, at each call", () => {
    const proc = fakeProc(
      {
        "/proc/net/udp": `${UDP_HEADER}${queued(udpRow(1, "00000000:270F", 500, 0), "00000900")}`,
        "/proc/net/udp6": `${UDP6_HEADER}${queued(udp6Row(3, "1F90", 600, 0), "00000300")}`,
      },
      ["500", "600"],
    );
    const v4 = watchKernelDrops(9999, proc);
    expect(v4.queuedBytes?.()).toBe(2304);
    proc.files["/proc/net/udp"] = `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 0)}`;
    expect(v4.queuedBytes?.()).toBe(0);
    expect(watchKernelDrops(8080, proc).queuedBytes?.()).toBe(768);
  });

  it("is null once the socket is gone", () => {
    const proc = fakeProc({
      "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 0)}`,
    });
    const drops = watchKernelDrops(9999, proc);
    proc.files["/proc/net/udp"] = UDP_HEADER;
    expect(drops.queuedBytes?.()).toBe(null);
  });

  it("is null when only the system-wide count is known: no queue is this socket's", () => {
    const proc = fakeProc({
      "/proc/net/udp": `${UDP_HEADER}${udpRow(1, "00000000:270F", 500, 0)}${udpRow(2, "0100007F:270F", 501, 0)}`,
      "/proc/net/snmp": SNMP(100),
    });
    const drops = watchKernelDrops(9999, proc);
    expect(drops.read().source).toBe("system");
    expect(drops.queuedBytes?.() ?? null).toBe(null);
  });
});

describe.runIf(process.platform === "linux")("watchKernelDrops on this system", () => {
  it("finds a real socket of this process", async () => {
    const dgram = await import("node:dgram");
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    try {
      const reading = watchKernelDrops(socket.address().port).read();
      expect(reading).toEqual({ drops: 0, source: "socket" });
    } finally {
      socket.close();
    }
  });
});
