/**
 * Log levels, lowest to highest, as the original shipper writes them. A level
 * given with another spelling (case, common aliases) maps onto one of these.
 */
export const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;

export type Level = (typeof LEVELS)[number];

const NAMES: ReadonlyMap<string, Level> = new Map<string, Level>([
  ["TRACE", "DEBUG"],
  ["DEBUG", "DEBUG"],
  ["INFO", "INFO"],
  ["WARN", "WARNING"],
  ["WARNING", "WARNING"],
  ["ERR", "ERROR"],
  ["ERROR", "ERROR"],
  ["CRIT", "CRITICAL"],
  ["CRITICAL", "CRITICAL"],
  ["FATAL", "CRITICAL"],
]);

/** The names parseLevel knows, upper case. */
export const LEVEL_NAMES: readonly string[] = [...NAMES.keys()];

/** NAMES in lower case, as loggers mostly write them (`info`, `warn`). */
const LOWER_NAMES: ReadonlyMap<string, Level> = new Map(
  [...NAMES].map(([name, level]) => [name.toLowerCase(), level]),
);

/** The rank of each name in NAMES, for the names spelled exactly so. */
const RANKS: ReadonlyMap<string, number> = new Map(
  [...NAMES].map(([name, level]) => [name, LEVELS.indexOf(level)]),
);

/**
 * The level a text names, case-insensitive, surrounding white space ignored;
 * aliases: TRACE -> DEBUG, WARN -> WARNING, ERR -> ERROR, CRIT and FATAL ->
 * CRITICAL. Undefined for anything else.
 */
export function parseLevel(text: string): Level | undefined {
  // A name spelled exactly as in NAMES, or all in lower case, the usual
  // cases, needs no new string.
  return NAMES.get(text) ?? LOWER_NAMES.get(text) ?? NAMES.get(text.trim().toUpperCase());
}

/**
 * Position of a level in LEVELS (DEBUG 0 ... CRITICAL 4), aliases included;
 * -1 for anything that is not a string naming a known level.
 */
export function levelRank(level: unknown): number {
  if (typeof level !== "string") return -1;
  const rank = RANKS.get(level);
  if (rank !== undefined) return rank;
  const parsed = parseLevel(level);
  return parsed === undefined ? -1 : LEVELS.indexOf(parsed);
}
