/**
 * `shipper-client`: reads lines (files, stdin) or generates sample logs, and
 * ships them with the client core. Drains on EOF, at the end of the run time,
 * and on SIGINT/SIGTERM; a second signal exits at once. SIGHUP re-reads the
 * config file. One line warns when the target starts refusing datagrams. The
 * last stderr line is the summary as one JSON object.
 */
import type { BatchSettings, Shipper, ShipperOptions } from "../../client/shipper.js";
import type { ShipperSummary } from "../../client/summary.js";
import type { CliIO, Signal } from "../shared/io.js";
import { type CommandMetrics, startCommandMetrics } from "../shared/metrics.js";
import { type ClientConfig, type ResolvedClient, resolveClient } from "./config.js";
import { readConfigFile } from "./config-file.js";
import { type ClientDeps, defaultDeps } from "./deps.js";
import { lineEntryMaker } from "./input/entry-maker.js";
import { FollowSession, noFollowSessionStats } from "./input/follow/session.js";
import type { InputStats } from "./input/line-input.js";
import { type LineReader, type LineStats, noLineStats } from "./input/lines.js";
import { openLineInput } from "./line-input.js";
import {
  describe,
  describeSettings,
  refusalWarning,
  reResolveWarning,
  unresolvedTarget,
} from "./messages.js";
import { lostEntries } from "./reliable-options.js";
import { StatusLine } from "./status-line.js";
import { PACED_STEPS, StreamTuning } from "./stream-tuning.js";
import { lookupFailure, shipperOptions, untilAborted } from "./target.js";
import { targetChangeLine } from "./target-options.js";

export type { ClientDeps } from "./deps.js";
export { refusalWarning } from "./messages.js";

/** Exit code when a second signal cuts the drain short. */
export const EXIT_INTERRUPTED = 130;

export async function runClient(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  deps: Partial<ClientDeps> = {},
): Promise<number> {
  const resolved = await resolveClient(argv, env, io, deps.readConfigText);
  if (typeof resolved === "number") return resolved;
  return runResolved(resolved, io, deps);
}

/** Runs the command on a config resolveClient() made. */
export async function runResolved(
  resolved: ResolvedClient,
  io: CliIO,
  deps: Partial<ClientDeps> = {},
): Promise<number> {
  const all: ClientDeps = { ...defaultDeps, ...deps };
  const metrics = await startCommandMetrics("shipper-client", resolved.config.metrics, io);
  if (metrics === undefined) return 1;
  const settings: BatchSettings = { ...resolved.config.batch, ...resolved.fileSettings };
  return new ClientRun(resolved.config, settings, io, all, metrics).run();
}

/** One run of the command, from a validated config to an exit code. */
class ClientRun {
  private readonly stop = new AbortController();
  private readonly status: StatusLine;
  private readonly shipper: Shipper;
  private reader: LineReader | FollowSession | undefined;
  /** The input's counters, once its files are open. */
  private inputStats: LineStats | undefined;
  private signals = 0;
  private closing = false;

  constructor(
    private readonly config: ClientConfig,
    private settings: BatchSettings,
    private readonly io: CliIO,
    private readonly deps: ClientDeps,
    private readonly metrics: CommandMetrics,
  ) {
    this.status = new StatusLine(io.stderr, {
      now: deps.now,
      lineIntervalMs: config.statsIntervalMs,
    });
    const observer = metrics.on?.lib.clientObserver(metrics.on.registry);
    const options: ShipperOptions = {
      ...shipperOptions(config, settings),
      lookup: deps.lookup,
      onResolveFailed: (error, kept, host) =>
        this.status.print(reResolveWarning(host ?? config.targetHost, error, kept)),
    };
    this.shipper = deps.createShipper(observer ? { ...options, observer } : options);
    this.shipper.onRefusing?.((notice) =>
      this.status.print(refusalWarning(notice.host ?? config.targetHost, notice)),
    );
    this.shipper.onTargetChange?.((change) => this.status.print(targetChangeLine(change)));
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
      // The compression thread starts at the first large batch (a short input
      // never needs it); shared/v8-tuning.ts makes its settings again then.
      const resolved = await this.lookUpTarget();
      let input = this.noLines();
      if (resolved) {
        input =
          this.config.input === "generate" ? await this.pumpGenerated() : await this.pumpLines();
      }
      this.closing = true;
      const summary = await this.shipper.close();
      if (this.reader instanceof FollowSession) await this.reader.finish();
      this.status.stop();
      this.io.stderr.write(`${JSON.stringify(this.report(summary, input))}\n`);
      return !resolved || lostEntries(summary) || (input?.unreadable ?? 0) > 0 ? 1 : 0;
    } finally {
      this.status.stop();
      for (const unsubscribe of off) unsubscribe();
      await this.metrics.close();
    }
  }

  private report(summary: ShipperSummary, input: LineStats | undefined): Record<string, unknown> {
    return input ? { ...summary, input: { ...input } } : { ...summary };
  }

  /**
   * The input's counters before any line was read: those of a run that
   * reads lines, all 0 (undefined in generate mode, which has none).
   */
  private noLines(): LineStats | undefined {
    if (this.config.input === "generate") return undefined;
    const stats: InputStats =
      this.config.follow === undefined ? noLineStats() : noFollowSessionStats();
    if (this.config.lineInput.multiline !== undefined) stats.multiline_splits = 0;
    return stats;
  }

  /** Looks the targets up once before reading; false, after one stderr line, when one does not resolve. */
  private async lookUpTarget(): Promise<boolean> {
    const { targets, targetHost } = this.config;
    for (const host of new Set([targetHost, ...targets.map((target) => target.host)])) {
      const failure = await lookupFailure(host, this.deps.lookup, this.stop.signal);
      if (failure !== undefined) this.status.print(unresolvedTarget(host, failure.error));
      if (failure !== undefined) return false;
    }
    return true;
  }

  private async pumpLines(): Promise<LineStats> {
    const maker = lineEntryMaker(this.config, this.deps.wallClock);
    const tuning = new StreamTuning();
    const ship = (line: string, bytes: number, plain = false): boolean => {
      tuning.line(bytes);
      const entry = maker.make(line, bytes, plain);
      return this.shipper.logJson(entry.json, entry.level, entry.bytes);
    };
    const input = await openLineInput(
      this.config,
      this.io,
      this.deps,
      this.shipper,
      this.status,
      (entry) => {
        ship(entry.text, entry.bytes);
        entry.source?.logged(entry.endOffset ?? 0);
      },
    );
    this.reader = input.reader;
    this.inputStats = input.stats;
    if (this.stop.signal.aborted) input.reader.close();
    for await (const lines of input.chunks) {
      for (let line = lines.next(); line !== undefined; line = lines.next()) {
        const accepted = ship(line, lines.bytes, lines.plain === true);
        lines.source?.logged(lines.endOffset ?? 0);
        if (accepted) continue;
        await untilAborted(this.shipper.ready(), this.stop.signal);
        if (this.stop.signal.aborted) return input.stats;
      }
      if (this.stop.signal.aborted) break;
    }
    return input.stats;
  }

  private async pumpGenerated(): Promise<undefined> {
    new StreamTuning(PACED_STEPS).now();
    const { generate } = await import("./input/generator.js");
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
      const input = this.inputStats ?? this.noLines();
      this.io.stderr.write(`${JSON.stringify(this.report(this.shipper.summary(), input))}\n`);
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
