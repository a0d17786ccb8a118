/** The bounds a JSON payload is scanned under (json-scan.ts), and the reasons it is refused. */

/** Bounds on the shape of one payload; see `DEFAULT_JSON_LIMITS`. */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects; the payload's outer array or object is depth 1. */
  readonly maxDepth: number;
  /** Elements of the payload's outer array (an outer object is one entry). */
  readonly maxEntries: number;
  /**
   * Values inside one entry, at any depth: every member of an object and
   * every element of an array counts one (`{"a":[1,2]}` holds 3).
   */
  readonly maxFields: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({
  maxDepth: 64,
  maxEntries: 30_000,
  maxFields: 1_000,
});

export type ScanReason = "invalid-json" | "too-deep" | "too-many-entries" | "too-many-fields";
