/**
 * The common entry, recognised whole: a compact JSON object (no white space)
 * whose member values are plain strings (no escape), numbers, `true`,
 * `false`, `null`, or objects of those. One regular expression checks such
 * an entry in one native pass, where the general scanner (json-scan.ts)
 * would take each token in turn; any other entry is left to the scanner.
 */

/** A string with no escape and no control character. */
const STRING = '"[^"\\\\\\u0000-\\u001f]*"';
const NUMBER = "-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?";
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;
const INNER = `\\{(?:${STRING}:${SCALAR}(?:,${STRING}:${SCALAR})*)?\\}`;
const VALUE = `(?:${SCALAR}|${INNER})`;
const ENTRY = new RegExp(`\\{(?:${STRING}:${VALUE}(?:,${STRING}:${VALUE})*)?\\}`, "y");

/** Containers open inside a flat entry in an outer array: the array, the entry, an inner object. */
const FLAT_DEPTH = 3;
/** Fewest characters a value takes with its member name: `"":0`. */
const MIN_FIELD_CHARS = 4;

/**
 * When the object opening at `at` (an element of an outer array) is a flat
 * entry within `maxDepth` and `maxFields`, the index after it; otherwise -1,
 * and the caller scans it token by token. Within the bounds means no bound
 * can be passed: the nesting is at most FLAT_DEPTH, and an entry of n
 * characters holds at most n / MIN_FIELD_CHARS values.
 */
export function flatEntryEnd(
  text: string,
  at: number,
  maxDepth: number,
  maxFields: number,
): number {
  if (maxDepth < FLAT_DEPTH) return -1;
  ENTRY.lastIndex = at;
  try {
    if (!ENTRY.test(text)) return -1;
  } catch {
    // The engine ran out of room on a huge entry: the scanner takes it.
    return -1;
  }
  const end = ENTRY.lastIndex;
  return (end - at) / MIN_FIELD_CHARS <= maxFields ? end : -1;
}
