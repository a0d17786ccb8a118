/**
 * The outputs while the command runs: their one-line messages (an output
 * down, back, a spool it cannot write), SIGHUP (reopen files, re-read the
 * config file), and the exit verdict on the summary's `outputs`.
 */
import { oneLine } from "../../foundation/one-line.js";
import type { LogServer } from "../../server/index.js";
import type { OutputEvent } from "../../server/outputs/definition.js";
import type { OutputsSummary } from "../../server/outputs/output-stats.js";
import type { CliIO } from "../shared/io.js";
import type { OutputsConfig } from "./outputs-options.js";
import { reloadOutputsConfig } from "./reload-config.js";

/** `output http://...: down (http-503: ...); retrying, batches go to the spool`. */
export function outputEventText(event: OutputEvent, spooling: boolean): string {
  switch (event.type) {
    case "down": {
      const why =
        event.error === undefined ? event.reason : `${event.reason}: ${event.error.message}`;
      const where = spooling ? "batches go to the spool" : "batches wait in memory";
      return `warning: output ${event.output}: down (${why}); retrying, ${where}`;
    }
    case "recovered":
      return `output ${event.output}: delivering again`;
    case "spool-error":
      return `warning: output ${event.output}: cannot write the spool (${event.error.message}); the batch stays in memory`;
  }
}

/** One line per output that dropped entries; empty when every entry was delivered or spooled. */
export function outputFailureLines(outputs: OutputsSummary): string[] {
  const lines: string[] = [];
  for (const [name, output] of Object.entries(outputs)) {
    const reasons = Object.entries(output.dropped).filter(([, count]) => count > 0);
    if (reasons.length === 0) continue;
    const total = reasons.reduce((sum, [, count]) => sum + count, 0);
    const list = reasons.map(([reason, count]) => `${reason} ${count}`).join(", ");
    lines.push(`error: output ${name}: ${total} entries not delivered (${list})`);
  }
  return lines;
}

/**
 * Applies a re-read config to a running server: the static fields and each
 * output's batch settings (matched by name). Answers the note for stderr.
 * Outputs added or removed, the spool and the drain time take a restart.
 */
export function applyReload(server: LogServer, next: OutputsConfig, before: OutputsConfig): string {
  server.setFields(next.fields);
  const running = server.outputs.set.pipelines;
  const same =
    next.outputs.length === before.outputs.length &&
    next.outputs.every((output, i) => output.spec.spec === before.outputs[i]?.spec.spec);
  if (same) {
    next.outputs.forEach((output, i) => {
      const pipeline = running[i];
      if (pipeline !== undefined) pipeline.batchSettings = output.batch;
    });
  }
  const restart: string[] = [];
  if (!same) restart.push("the list of outputs");
  if (next.spoolDir !== before.spoolDir) restart.push("spool-dir");
  const note = same
    ? "SIGHUP: outputs reopened, config reloaded: fields and batch settings applied"
    : "SIGHUP: outputs reopened, config reloaded: fields applied";
  return restart.length === 0 ? note : `${note}; ${restart.join(" and ")} take a restart`;
}

/** Writes lines to stderr with the program's prefix. */
export function writeLines(io: CliIO, name: string, lines: readonly string[]): void {
  for (const line of lines) io.stderr.write(`${name}: ${oneLine(line)}\n`);
}

/** True when SIGHUP has something to do for the outputs: a file to reopen, a config to re-read. */
export function outputsReload(config: OutputsConfig): boolean {
  return config.configFile !== undefined || config.outputs.some((o) => o.spec.kind !== "stdout");
}

/**
 * SIGHUP for the outputs, beside the key reload: every output reopens what it
 * can (a file after logrotate) and, with `--config`, the file is read again
 * and what a reload may change is applied; one stderr line says what. A bad
 * file keeps the settings in use, said in one line too.
 */
export function watchOutputReload(
  io: CliIO,
  name: string,
  first: OutputsConfig,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
) {
  let server: LogServer | undefined;
  let current = first;
  const dispose = io.onSignal("SIGHUP", () => {
    if (server === undefined || !outputsReload(current)) return;
    void server.reopenOutputs();
    if (current.configFile === undefined) {
      io.stderr.write(`${name}: SIGHUP: outputs reopened\n`);
      return;
    }
    const next = reloadOutputsConfig(argv, env);
    if (typeof next === "string") {
      io.stderr.write(`${name}: config not reloaded, the settings in use stay: ${oneLine(next)}\n`);
      return;
    }
    io.stderr.write(`${name}: ${applyReload(server, next, current)}\n`);
    current = next;
  });
  return {
    /** The running server; undefined once shutdown begins. */
    attach(live: LogServer | undefined) {
      server = live;
    },
    dispose,
  };
}
