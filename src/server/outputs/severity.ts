/**
 * The level of an entry, for `--output-flush-level`: read from its `level`
 * field (the original shipper's) without parsing the whole entry. Level names
 * and aliases are the client's (DEBUG, INFO, WARNING, ERROR, CRITICAL; WARN,
 * ERR, FATAL...).
 */
import { levelRank } from "../../client/levels.js";

const LEVEL_FIELD = /"level"\s*:\s*"([^"\\]{1,32})"/;

/** The rank of an entry's level (DEBUG 0 ... CRITICAL 4); -1 when it has none that is known. */
export function entryLevelRank(entry: string): number {
  if (!entry.includes('"level"')) return -1;
  const match = LEVEL_FIELD.exec(entry);
  return match === null ? -1 : levelRank(match[1]);
}

/** True when one of `entries` is at or above `rank`. */
export function holdsSevere(entries: readonly string[], rank: number): boolean {
  for (const entry of entries) if (entryLevelRank(entry) >= rank) return true;
  return false;
}
