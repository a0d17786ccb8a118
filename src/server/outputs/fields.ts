/**
 * Static fields (`--field key=value`) added at the top level of every entry
 * that does not have them, before any output sees it (as the OTel exporter's
 * default_attributes). An entry's own value always wins, and of one key
 * given twice the first does. The entry's text is
 * kept as received; the missing fields are appended before its closing brace.
 */

/** Field name -> value, in the order given. */
export type StaticFields = readonly (readonly [key: string, value: string])[];

/** Adds `fields` to `entries` where absent; the same array when there is nothing to add. */
export function addFields(entries: readonly string[], fields: StaticFields): readonly string[] {
  if (fields.length === 0) return entries;
  return entries.map((entry) => addToEntry(entry, fields));
}

function addToEntry(entry: string, fields: StaticFields): string {
  let present: Record<string, unknown>;
  try {
    present = JSON.parse(entry) as Record<string, unknown>;
  } catch {
    return entry;
  }
  if (typeof present !== "object" || present === null || Array.isArray(present)) return entry;
  const seen = new Set<string>();
  const missing = fields.filter(([key]) => {
    if (Object.hasOwn(present, key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (missing.length === 0) return entry;
  const added = missing.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  const close = entry.lastIndexOf("}");
  const empty = Object.keys(present).length === 0;
  return `${entry.slice(0, close)}${empty ? "" : ","}${added.join(",")}${entry.slice(close)}`;
}
