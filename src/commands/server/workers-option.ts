/**
 * `--workers N|auto`: how many threads decode. 1 (the default) decodes on
 * the main thread; `auto` is the number of cores the process may use.
 */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { addOption, OptionValueError, type Parser } from "../shared/options.js";

export const DEFAULT_WORKERS = 1;
export const MAX_WORKERS = 64;

/** An integer from 1 to MAX_WORKERS, or `auto`: the cores available (at most MAX_WORKERS). */
export function workersParser(cores: () => number = availableParallelism): Parser<number> {
  return (raw) => {
    const text = raw.trim();
    if (text === "auto") return Math.min(MAX_WORKERS, Math.max(1, cores()));
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > MAX_WORKERS) {
      throw new OptionValueError(`expects auto or an integer from 1 to ${MAX_WORKERS}`);
    }
    return value;
  };
}

export function addWorkersOption(command: Command): void {
  addOption(command, {
    flags: "--workers <n>",
    description:
      "threads that decode: 1 decodes on the main thread; auto = the number of cores" +
      ` (at most ${MAX_WORKERS})`,
    env: "WORKERS",
    defaultValue: DEFAULT_WORKERS,
    parse: workersParser(),
  });
}
