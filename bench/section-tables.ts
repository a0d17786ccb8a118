/**
 * Every section of a results file as its tables, in the order a run prints
 * them: what bench/markdown.ts renders for docs/performance.md and the
 * README from a results file, so a table there is the run's own.
 */
import type { LevelFigure } from "./cases/levels.js";
import { levelsTable } from "./cases/levels.js";
import { type OutputResult, outputsTable } from "./cases/outputs.js";
import { parseTable } from "./cases/parse.js";
import { perDatagramTable } from "./cases/per-datagram.js";
import { pinoTable } from "./cases/pino-table.js";
import { type RecoveryResult, recoveryTable } from "./cases/recovery.js";
import { type ReliableResult, reliableTable } from "./cases/reliable.js";
import { sinksTable } from "./cases/sinks.js";
import { type StartupResult, startupTable } from "./cases/startup.js";
import { type WholeProcessResult, wholeProcessTable } from "./cases/whole-process.js";
import { type WorkersResult, workersTable } from "./cases/workers.js";
import type { Measurements } from "./report.js";
import * as tables from "./tables.js";

/** What one run measures: the shared sections and those the run keeps to itself. */
export type AllMeasurements = Measurements & {
  reliable?: ReliableResult;
  recovery?: RecoveryResult;
  outputs?: OutputResult[];
  startup?: StartupResult;
  whole?: WholeProcessResult;
  levels?: LevelFigure[];
  workers?: WorkersResult;
};

export interface SectionTable {
  /** The section's name, as `npm run bench -- --only` takes it. */
  readonly section: string;
  readonly text: string;
}

/**
 * The tables of each section present in `m`. A section not of the shape
 * its table reads (a file of an earlier run, kept in an older one) is told
 * in one line in its place, and the others are rendered.
 */
export function sectionTables(m: AllMeasurements): SectionTable[] {
  const found: SectionTable[] = [];
  const add = (section: string, render: () => string | undefined) => {
    let text: string | undefined;
    try {
      text = render();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      text = `(not rendered: this file's ${section} results are not of the shape its table reads: ${reason})`;
    }
    if (text !== undefined) found.push({ section, text });
  };
  add("startup", () => m.startup && startupTable(m.startup));
  add("whole", () => m.whole && wholeProcessTable(m.whole));
  add("levels", () => m.levels && levelsTable(m.levels));
  add("limits", () =>
    m.socket !== undefined || m.codec !== undefined ? tables.limitsTable(m) : undefined,
  );
  add("client", () => m.client && tables.clientTable(m.client));
  add("parse", () => m.parse && parseTable(m.parse));
  add("reliable", () => m.reliable && reliableTable(m.reliable));
  add("reliable", () => m.recovery && recoveryTable(m.recovery));
  add("server", () => m.server && tables.serverTable(m.server));
  add("per-datagram", () => m.perDatagram && perDatagramTable(m.perDatagram));
  add("e2e", () => m.endToEnd && tables.endToEndTable(m.endToEnd));
  add("latency", () => m.latency && tables.latencyTable(m.latency));
  for (const big of [m.bigInput, m.bigInputMainThread])
    add("big", () => big && tables.bigInputTable(big));
  add("sinks", () => m.sinks && sinksTable(m.sinks));
  add("outputs", () => m.outputs && outputsTable(m.outputs));
  add("pino", () => m.pino && pinoTable(m.pino));
  add("workers", () => m.workers && workersTable(m.workers));
  return found;
}
