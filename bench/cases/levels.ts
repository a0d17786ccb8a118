/**
 * The zlib level's trade: bytes per entry against compression time per
 * entry, for batches of 100 of the bench's text and JSON entries, each level
 * timed on the same batches, the levels interleaved (node:zlib deflateSync, as
 * the client and its compression thread call it).
 */
import { deflateSync } from "node:zlib";
import { type LineKind, payloads } from "../lib/data.js";
import { fixed, table } from "../lib/format.js";
import { median } from "../lib/stats.js";

const LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
const BATCH = 100;

export interface LevelFigure {
  readonly kind: LineKind;
  readonly level: number;
  readonly bytesPerEntry: number;
  /** Median over runs of the time to compress every batch once, per entry. */
  readonly microsPerEntry: number;
  /** Lowest and highest of the runs. */
  readonly microsMin: number;
  readonly microsMax: number;
}

export function runLevels(batches: number, runs: number): LevelFigure[] {
  const figures: LevelFigure[] = [];
  for (const kind of ["text", "json"] as const) {
    const batchesOf = payloads(kind, batches, BATCH);
    const times = new Map<number, number[]>(LEVELS.map((level) => [level, []]));
    const bytes = new Map<number, number>();
    for (let run = 0; run <= runs; run++) {
      for (const level of LEVELS) {
        const started = performance.now();
        let total = 0;
        for (const payload of batchesOf) total += deflateSync(payload, { level }).length;
        const micros = ((performance.now() - started) * 1000) / (batches * BATCH);
        // The first round warms the code up and is not counted.
        if (run > 0) times.get(level)?.push(micros);
        bytes.set(level, total / (batches * BATCH));
      }
    }
    for (const level of LEVELS) {
      const t = times.get(level) ?? [];
      figures.push({
        kind,
        level,
        bytesPerEntry: bytes.get(level) ?? Number.NaN,
        microsPerEntry: median(t),
        microsMin: Math.min(...t),
        microsMax: Math.max(...t),
      });
    }
  }
  return figures;
}

export function levelsTable(figures: readonly LevelFigure[]): string {
  const of = (kind: LineKind, level: number) =>
    figures.find((f) => f.kind === kind && f.level === level);
  const rows = LEVELS.map((level) => {
    const text = of("text", level);
    const json = of("json", level);
    const cells = (f: LevelFigure | undefined) =>
      f === undefined
        ? ["-", "-"]
        : [
            fixed(f.bytesPerEntry, 1),
            `${fixed(f.microsPerEntry, 2)} (${fixed(f.microsMin, 2)}–${fixed(f.microsMax, 2)})`,
          ];
    return [String(level), ...cells(text), ...cells(json)];
  });
  return table(["level", "text B/entry", "text µs/entry", "json B/entry", "json µs/entry"], rows);
}

/** The `levels` section of bench/run.ts: runs, prints its table, returns the figures. */
export function levelsSection(mode: "full" | "quick", say: (text: string) => void): LevelFigure[] {
  say("levels: zlib level, bytes per entry and compression time per entry, batches of 100");
  const figures = mode === "quick" ? runLevels(100, 5) : runLevels(200, 11);
  say(`${levelsTable(figures)}\n`);
  return figures;
}
