/**
 * The state file of `--follow`: for each followed file, how far its lines
 * were sent. One JSON object:
 *
 *   {"version":1,"files":[{"path":"/var/log/app.log","dev":"2049","ino":"131","fingerprint":"9f2c…","fingerprint_bytes":256,"offset":10240}]}
 *
 * `offset` is the byte just past the last line whose entry was sent; `dev`
 * and `ino` are decimal strings (they may pass 2^53). It is written whole to
 * a temporary file next to it, flushed to disk, then renamed over the old one,
 * so a crash leaves either the old state or the new one, never a mix.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { makeDirs } from "../../../../foundation/dirs.js";
import type { Fingerprint } from "./identity.js";

export const STATE_VERSION = 1;

/** How far one file was sent. */
export interface StateRecord {
  readonly path: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly fingerprint: Fingerprint;
  readonly offset: number;
}

/** The default state file: `$XDG_STATE_HOME/udp-log-shipper/state.json`, else under `~/.local/state`. */
export function defaultStatePath(
  env: Readonly<Record<string, string | undefined>>,
  home: () => string = homedir,
): string {
  const xdg = env.XDG_STATE_HOME;
  const root = xdg?.startsWith("/") ? xdg : join(home(), ".local", "state");
  return join(root, "udp-log-shipper", "state.json");
}

export function formatState(records: Iterable<StateRecord>): string {
  const files = [...records].map((record) => ({
    path: record.path,
    dev: String(record.dev),
    ino: String(record.ino),
    fingerprint: record.fingerprint.hash,
    fingerprint_bytes: record.fingerprint.bytes,
    offset: record.offset,
  }));
  return `${JSON.stringify({ version: STATE_VERSION, files })}\n`;
}

/** The records of a state file's text, and what was wrong with it (undefined: nothing). */
export interface ParsedState {
  readonly records: StateRecord[];
  readonly problem: string | undefined;
}

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isDecimal = (value: unknown): value is string =>
  typeof value === "string" && /^\d{1,20}$/.test(value);

function toRecord(value: unknown): StateRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const file = value as Record<string, unknown>;
  const { path, dev, ino, fingerprint, fingerprint_bytes: bytes, offset } = file;
  if (typeof path !== "string" || !isDecimal(dev) || !isDecimal(ino)) return undefined;
  if (typeof fingerprint !== "string" || !/^[0-9a-f]{32}$/.test(fingerprint)) return undefined;
  if (!isCount(bytes) || !isCount(offset)) return undefined;
  return {
    path,
    dev: BigInt(dev),
    ino: BigInt(ino),
    fingerprint: { hash: fingerprint, bytes },
    offset,
  };
}

/** Never throws: a text that is not a state gives no records and names its problem. */
export function parseState(text: string): ParsedState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { records: [], problem: "not JSON" };
  }
  const state = value as { version?: unknown; files?: unknown } | null;
  if (typeof state !== "object" || state === null || !Array.isArray(state.files)) {
    return { records: [], problem: "not a state object" };
  }
  if (state.version !== STATE_VERSION) {
    return {
      records: [],
      problem: `version ${JSON.stringify(state.version)} is not ${STATE_VERSION}`,
    };
  }
  const records: StateRecord[] = [];
  let bad = 0;
  for (const file of state.files) {
    const record = toRecord(file);
    if (record === undefined) bad++;
    else records.push(record);
  }
  return { records, problem: bad > 0 ? `${bad} malformed file record(s) skipped` : undefined };
}

/** Reads the state file; a missing file is an empty state, not a problem. */
export async function loadState(path: string): Promise<ParsedState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { records: [], problem: undefined };
    return { records: [], problem: (error as Error).message };
  }
  return parseState(text);
}

/**
 * Writes the records atomically: a temporary file in the same directory,
 * fsync, rename over `path`, fsync of the directory. Creates the directory.
 * Rejects when any step fails; the previous state then stays as it was.
 */
export async function saveState(path: string, records: Iterable<StateRecord>): Promise<void> {
  const dir = dirname(path);
  await makeDirs(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(formatState(records));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Flushes a directory's entries (the rename) to disk; where that is not possible, nothing. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}
