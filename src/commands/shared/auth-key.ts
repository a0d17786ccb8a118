/**
 * HMAC keys for signed datagrams, from key files (`--auth-key-file`) and
 * from the `SHIPPER_AUTH_KEY` variable (the key text itself).
 *
 * A key file holds one key per line, so a server can accept an old and a
 * new key while clients move over. Each line is a key: its UTF-8 bytes as
 * written, without the line's LF or CRLF; blank lines (empty or white space
 * only) are skipped. Other white space is part of the key. A file readable
 * or writable by group or others gets a warning, as ssh does for its keys.
 * The server reads its files again on SIGHUP (`reloadKeys`).
 */
import { readFileSync, statSync } from "node:fs";
import { ERROR_CODES, ShipperError } from "../../foundation/errors.js";
import { UsageError } from "./options.js";

/** The variable holding a key itself (not a path). */
export const AUTH_KEY_ENV = "SHIPPER_AUTH_KEY";
/** The option naming a key file, as usage errors name it. */
export const AUTH_KEY_FILE_OPTION = "--auth-key-file <path>";

/** A key file that cannot be used; the message names the file and why. */
export class KeyFileError extends ShipperError {
  constructor(message: string) {
    super(ERROR_CODES.KEY_FILE, message);
  }
}

/** The keys of a key file's text: one per line, CR before LF dropped, blank lines skipped. */
export function parseKeyText(text: string): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    keys.push(Buffer.from(line, "utf8"));
  }
  return keys;
}

export interface KeyFile {
  readonly keys: Uint8Array[];
  /** Set when group or others may read or write the file. */
  readonly warning: string | undefined;
}

/** Reads one key file; throws KeyFileError when it cannot be read or holds no key. */
export function readKeyFile(path: string): KeyFile {
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === "string" ? code : error instanceof Error ? error.message : "";
    throw new KeyFileError(`cannot read ${path} (${why})`);
  }
  const keys = parseKeyText(text);
  if (keys.length === 0) throw new KeyFileError(`${path} holds no key`);
  const loose = mode & 0o077;
  const warning =
    loose === 0
      ? undefined
      : `warning: key file ${path} is accessible by group or others` +
        ` (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); chmod 600 ${path}`;
  return { keys, warning };
}

export interface LoadedKeys {
  /** The keys of the files in order, then SHIPPER_AUTH_KEY; empty when none is given. */
  readonly keys: readonly Uint8Array[];
  readonly warnings: readonly string[];
}

/**
 * The keys of every file, in order, then the key of `envKey` (the value of
 * SHIPPER_AUTH_KEY, taken as given; empty counts as unset). Throws
 * KeyFileError for a file that cannot be used.
 */
export function loadKeys(files: readonly string[], envKey: string | undefined): LoadedKeys {
  const keys: Uint8Array[] = [];
  const warnings: string[] = [];
  for (const path of files) {
    const file = readKeyFile(path);
    keys.push(...file.keys);
    if (file.warning !== undefined) warnings.push(file.warning);
  }
  if (envKey !== undefined && envKey !== "") keys.push(Buffer.from(envKey, "utf8"));
  return { keys, warnings };
}

/** What re-reading the key files gave: the keys to use now, or why the keys in use stay. */
export interface KeyReload {
  /** Undefined: keep the keys in use. */
  readonly keys: readonly Uint8Array[] | undefined;
  readonly warnings: readonly string[];
  /** One line saying which keys were loaded, or why none were. */
  readonly note: string;
}

/**
 * Reads every key file again (the server's SIGHUP), in order, then adds
 * `envKey` as it was at start. All or nothing: when a file cannot be read or
 * holds no key, no key is loaded and the keys in use stay, so a file emptied
 * by mistake never leaves the server without keys. Without files there is
 * nothing to re-read.
 */
export function reloadKeys(files: readonly string[], envKey: string | undefined): KeyReload {
  if (files.length === 0) {
    return { keys: undefined, warnings: [], note: "SIGHUP ignored: no --auth-key-file to re-read" };
  }
  try {
    const { keys, warnings } = loadKeys(files, envKey);
    const sources = envKey !== undefined && envKey !== "" ? [...files, AUTH_KEY_ENV] : files;
    const count = keys.length === 1 ? "1 key" : `${keys.length} keys`;
    const last = sources.at(-1);
    const from = sources.length > 1 ? `${sources.slice(0, -1).join(", ")} and ${last}` : last;
    return { keys, warnings, note: `SIGHUP: ${count} loaded from ${from}` };
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    const note = `SIGHUP: ${error.message}; keeping the previous keys`;
    return { keys: undefined, warnings: [], note };
  }
}

export interface ClientKey {
  /** Undefined: datagrams are not signed. */
  readonly key: Uint8Array | undefined;
  readonly warnings: readonly string[];
}

/**
 * The client's signing key: the first key of its key file (so one file can
 * serve a server and its clients), else SHIPPER_AUTH_KEY. Throws UsageError
 * naming `--auth-key-file` for a file that cannot be used.
 */
export function clientKey(file: string | undefined, envKey: string | undefined): ClientKey {
  if (file === undefined) {
    const loaded = loadKeys([], envKey);
    return { key: loaded.keys[0], warnings: [] };
  }
  let read: KeyFile;
  try {
    read = readKeyFile(file);
  } catch (error) {
    if (error instanceof KeyFileError) {
      throw new UsageError(`option '${AUTH_KEY_FILE_OPTION}': ${error.message}`);
    }
    throw error;
  }
  const warnings = read.warning === undefined ? [] : [read.warning];
  if (envKey !== undefined && envKey !== "") {
    warnings.push(`warning: ${AUTH_KEY_ENV} is ignored: signing with the first key of ${file}`);
  }
  return { key: read.keys[0], warnings };
}
