/**
 * `shipper-client`: reads lines (files, stdin) or generates sample logs, and
 * ships them with the client core. Drains on EOF, at the end of the run time,
 * and on SIGINT/SIGTERM; a second signal exits at once. SIGHUP re-reads the
 * config file. One line warns when the target starts refusing datagrams. The
 * last stderr line is the summary as one JSON object.
 */
import {
  type BatchSettings,
  createShipper,
  type RefusalNotice,
  type Shipper,
  type ShipperOptions,
} from "../../client/shipper.js";
import type { ShipperSummary } from "../../client/summary.js";
import { type Clock, systemClock, systemWallClock, type WallClock } from "../../foundation/time.js";
import type { CliIO, Signal } from "../shared/io.js";
import { type CommandMetrics, startCommandMetrics } from "../shared/metrics.js";
import { type ClientConfig, resolveClient } from "./config.js";
import { readConfigFile } from "./config-file.js";
import { EntryCache, type EntryDefaults, lineToJson } from "./input/entry.js";
import { generate } from "./input/generator.js";
import { LineReader, type LineStats, type SourceOpener, sourceOpener } from "./input/lines.js";
import { lostEntries } from "./reliable-options.js";
import { StatusLine } from "./status-line.js";

/** Exit code when a second signal cuts the drain short. */
export const EXIT_INTERRUPTED = 130;

/** What `main` uses besides its io; tests replace parts of it. */
export interface ClientDeps {
  readonly createShipper: (options: ShipperOptions) => Shipper;
  /** Monotonic milliseconds (pacing, status rate). */
  readonly now: Clock;
  /** Wall clock (timestamps), milliseconds since the epoch. */
  readonly wallClock: WallClock;
  readonly random: () => number;
  /** Opens an input source; defaults to files and io.stdin. */
  readonly openSource?: SourceOpener;
  readonly readConfigText?: (path: string) => Promise<string>;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultDeps: ClientDeps = {
  createShipper,
  now: systemClock,
  wallClock: systemWallClock,
  random: Math.random,
};

export async function runClient(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  deps: Partial<ClientDeps> = {},
): Promise<number> {
  const all: ClientDeps = { ...defaultDeps, ...deps };
  const resolved = await resolveClient(argv, env, io, all.readConfigText);
  if (typeof resolved === "number") return resolved;
  const metrics = await startCommandMetrics("shipper-client", resolved.config.metrics, io);
  if (metrics === undefined) return 1;
  const settings: BatchSettings = { ...resolved.config.batch, ...resolved.fileSettings };
  return new ClientRun(resolved.config, settings, io, all, metrics).run();
}

function shipperOptions(config: ClientConfig, settings: BatchSettings): ShipperOptions {
  return {
    ...settings,
    targetHost: config.targetHost,
    targetPort: config.targetPort,
    compress: config.compress,
    compressThread: config.compressThread,
    sequenced: config.sequenced,
    maxDatagramBytes: config.maxDatagramBytes,
    maxRetries: config.maxRetries,
    ...(config.key === undefined ? {} : { key: config.key }),
    ...config.reliable,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Batch settings in the config file's terms, for the SIGHUP note. */
function describeSettings(settings: BatchSettings): string {
  return [
    `batch_size=${settings.batchSize}`,
    `batch_interval=${settings.flushIntervalMs / 1000}`,
    `batch_bytes=${settings.batchBytes}`,
    `flush_level=${settings.flushLevel ?? "off"}`,
  ].join(" ");
}

/** The stderr line when the target starts refusing datagrams. */
export function refusalWarning(host: string, notice: RefusalNotice): string {
  const at = (address: string) => (address.includes(":") ? `[${address}]` : address);
  const target = `${at(host)}:${notice.port}${notice.address === host ? "" : ` (${notice.address})`}`;
  return notice.code === "ECONNREFUSED"
    ? `shipper-client: ${target} refuses datagrams (ECONNREFUSED): is shipper-server running there?`
    : `shipper-client: ${target} is unreachable (${notice.code}): datagrams sent there are lost`;
}

/** Resolves when `promise` settles or `signal` aborts, whichever comes first. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    promise.then(done, (error: unknown) => {
      signal.removeEventListener("abort", done);
      reject(error);
    });
  });
}

/** One run of the command, from a validated config to an exit code. */
class ClientRun {
  private readonly stop = new AbortController();
  private readonly status: StatusLine;
  private readonly shipper: Shipper;
  private reader: LineReader | undefined;
  private signals = 0;
  private closing = false;

  constructor(
    private readonly config: ClientConfig,
    private settings: BatchSettings,
    private readonly io: CliIO,
    private readonly deps: ClientDeps,
    private readonly metrics: CommandMetrics,
  ) {
    this.status = new StatusLine(io.stderr, { now: deps.now });
    const observer = metrics.on?.lib.clientObserver(metrics.on.registry);
    const options = shipperOptions(config, settings);
    this.shipper = deps.createShipper(observer ? { ...options, observer } : options);
    this.shipper.onRefusing?.((notice) =>
      this.status.print(refusalWarning(config.targetHost, notice)),
    );
    metrics.ready((registry, lib) => lib.registerClientMetrics(registry, this.shipper));
  }

  async run(): Promise<number> {
    const off = [
      this.io.onSignal("SIGINT", () => this.onStopSignal("SIGINT")),
      this.io.onSignal("SIGTERM", () => this.onStopSignal("SIGTERM")),
      this.io.onSignal("SIGHUP", () => void this.reload()),
    ];
    try {
      this.status.start(() => this.shipper.summary());
      // Reading waits for the compression thread: V8 resets process-wide
      // settings while it starts, and shared/v8-tuning.ts makes them again.
      await untilAborted(this.shipper.start?.() ?? Promise.resolve(), this.stop.signal);
      const input =
        this.config.input === "generate" ? await this.pumpGenerated() : await this.pumpLines();
      this.closing = true;
      const summary = await this.shipper.close();
      this.status.stop();
      this.io.stderr.write(`${JSON.stringify(this.report(summary, input))}\n`);
      return lostEntries(summary) || (input?.unreadable ?? 0) > 0 ? 1 : 0;
    } finally {
      this.status.stop();
      for (const unsubscribe of off) unsubscribe();
      await this.metrics.close();
    }
  }

  private report(summary: ShipperSummary, input: LineStats | undefined): Record<string, unknown> {
    return input ? { ...summary, input: { ...input } } : { ...summary };
  }

  private async pumpLines(): Promise<LineStats> {
    const open = this.deps.openSource ?? sourceOpener(this.io.stdin);
    const reader = new LineReader(this.config.files, {
      maxLineBytes: this.config.maxLineBytes,
      open,
      onError: (source, error) =>
        this.status.print(`shipper-client: cannot read ${source}: ${describe(error)}`),
    });
    this.reader = reader;
    if (this.stop.signal.aborted) reader.close();
    const defaults: EntryDefaults = {
      level: this.config.level,
      service: this.config.service,
      now: this.deps.wallClock,
    };
    const cache = new EntryCache();
    for await (const lines of reader.chunks()) {
      for (let line = lines.next(); line !== undefined; line = lines.next()) {
        const entry = lineToJson(line, defaults, lines.bytes, cache);
        if (this.shipper.logJson(entry.json, entry.level, entry.bytes)) continue;
        await untilAborted(this.shipper.ready(), this.stop.signal);
        if (this.stop.signal.aborted) return reader.stats;
      }
      if (this.stop.signal.aborted) break;
    }
    return reader.stats;
  }

  private async pumpGenerated(): Promise<undefined> {
    const entries = generate({
      logsPerSecond: this.config.logsPerSecond,
      runTimeSeconds: this.config.runTimeSeconds,
      service: this.config.service,
      random: this.deps.random,
      now: this.deps.now,
      wallClock: () => new Date(this.deps.wallClock()),
      signal: this.stop.signal,
      ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
    });
    for await (const entry of entries) {
      if (this.config.reliable.reliable === true)
        await untilAborted(this.shipper.ready(), this.stop.signal);
      this.shipper.tryLog(entry);
    }
    return undefined;
  }

  private onStopSignal(signal: Signal): void {
    this.signals += 1;
    if (this.signals > 1) {
      this.status.stop();
      this.io.stderr.write(`${JSON.stringify(this.shipper.summary())}\n`);
      this.io.exit(EXIT_INTERRUPTED);
    }
    this.status.print(`shipper-client: ${signal}: draining; a second signal exits at once`);
    this.stop.abort();
    this.reader?.close();
  }

  private async reload(): Promise<void> {
    const path = this.config.configPath;
    if (path === undefined) {
      this.status.print("shipper-client: SIGHUP ignored: no --config file to re-read");
      return;
    }
    try {
      const fileSettings = await readConfigFile(path, this.deps.readConfigText);
      if (this.closing) return;
      this.settings = { ...this.config.batch, ...fileSettings };
      this.shipper.reconfigure(this.settings);
      this.status.print(
        `shipper-client: SIGHUP: applied ${path}: ${describeSettings(this.settings)}`,
      );
    } catch (error) {
      if (this.closing) return;
      this.status.print(
        `shipper-client: SIGHUP: ${describe(error)}; keeping the previous settings`,
      );
    }
  }
}
