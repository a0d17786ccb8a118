/** Parsers of the client's level options: `--level` and `--flush-level`. */
import { LEVELS, type Level, parseLevel } from "../../client/levels.js";
import { OptionValueError, type Parser } from "../shared/options.js";

export const LEVEL_NAMES = LEVELS.join(", ");

export const level: Parser<Level> = (raw) => {
  const parsed = parseLevel(raw);
  if (parsed === undefined) throw new OptionValueError(`expects one of ${LEVEL_NAMES}`);
  return parsed;
};

/** A level, or `off`/`none` to turn level flushes off. */
export const flushLevel: Parser<Level | "off"> = (raw) => {
  if (["off", "none"].includes(raw.trim().toLowerCase())) return "off";
  const parsed = parseLevel(raw);
  if (parsed === undefined) throw new OptionValueError(`expects one of ${LEVEL_NAMES}, or off`);
  return parsed;
};
