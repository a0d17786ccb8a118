/**
 * The workers case's sender: the C sender (bench/agents/mmsg-sender.c,
 * sendmmsg in batches of 64), compiled with `cc` into a temporary
 * directory, or the Node fallback with the same arguments and answer when
 * there is no compiler. Each run is one process.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../test/support/process.js";

export interface PacedResult {
  readonly attempted: number;
  readonly sent: number;
  readonly errors: number;
  readonly seconds: number;
  /** Datagrams per second achieved after the warm-up. */
  readonly rate: number;
}

export interface PacedLoad {
  /** Datagrams to send, in turn. */
  readonly datagrams: readonly Uint8Array[];
  /** Framed and sequenced: sent on this many streams, each with its own seqs; 0: as they are. */
  readonly streams: number;
}

function hasCompiler(): boolean {
  try {
    execFileSync("cc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export class PacedSender {
  private constructor(
    private readonly dir: string,
    /** The command and its leading arguments. */
    private readonly command: readonly string[],
    readonly native: boolean,
  ) {}

  static start(say: (text: string) => void): PacedSender {
    const dir = mkdtempSync(join(tmpdir(), "shipper-mmsg-"));
    if (hasCompiler()) {
      const bin = join(dir, "mmsg-sender");
      execFileSync("cc", ["-O2", "-o", bin, `${ROOT}bench/agents/mmsg-sender.c`]);
      return new PacedSender(dir, [bin], true);
    }
    say("workers: no cc on PATH, sending with the Node fallback (the sender may limit the rate)");
    return new PacedSender(dir, [process.execPath, `${ROOT}bench/agents/paced-sender.mjs`], false);
  }

  /** Writes a load's datagrams to a template file; answers its path. */
  templates(name: string, load: PacedLoad): string {
    const parts: Buffer[] = [];
    for (const datagram of load.datagrams) {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(datagram.length);
      parts.push(head, Buffer.from(datagram));
    }
    const path = join(this.dir, `${name}.bin`);
    writeFileSync(path, Buffer.concat(parts));
    return path;
  }

  run(
    port: number,
    rate: number,
    durationMs: number,
    warmupMs: number,
    streams: number,
    file: string,
  ) {
    const args = [...this.command.slice(1), String(port), String(Math.round(rate))];
    args.push(String(durationMs), String(warmupMs), String(streams), file);
    return new Promise<PacedResult>((resolve, reject) => {
      const child = spawn(this.command[0] as string, args, {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on("error", reject);
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`sender exited ${code}`));
        else resolve(JSON.parse(out) as PacedResult);
      });
    });
  }

  stop(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
