/** Entries to JSON text for the batcher. */

/** The entry as JSON text; undefined when it has none (a cycle, a BigInt, toJSON -> undefined). */
export function serialize(entry: Record<string, unknown>): string | undefined {
  try {
    const json: unknown = JSON.stringify(entry);
    return typeof json === "string" ? json : undefined;
  } catch {
    return undefined;
  }
}
