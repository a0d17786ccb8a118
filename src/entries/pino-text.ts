/**
 * A pino line to its entry without parsing it into an object. When the
 * line is canonical JSON (canonical-json.ts), which pino's lines are, the
 * metadata is the text of the members no role takes, as the line holds
 * them: what JSON.stringify would write of them. The roles are read from
 * their place in the line, found by one regular expression for the shape
 * pino writes most (pino-shape.ts), else by the canonical scan. The entry
 * is the text the general path (JSON.parse, mapJsonObject with `pino`,
 * EntryWriter) gives; a line this path does not cover gets undefined and
 * takes that path: one that is not canonical, whose `level` or `time` is
 * not a number (or `time` not an instant), whose `msg`, `name` or
 * `hostname` is not a string, with a `metadata` field, or with an `err`
 * but no `msg`.
 */
import type { Level } from "../client/levels.js";
import { CLOSE_BRACE, COLON, COMMA, MINUS, OPEN_BRACE, QUOTE } from "../wire/json-chars.js";
import { CanonicalScanner } from "./canonical-json.js";
import type { EntryWriter, SerializedEntry } from "./entry-writer.js";
import { levelFromPinoNumber } from "./level-names.js";
import { ERR, HOST, LEVEL, METADATA, MSG, NAME, NONE, readPinoShape, TIME } from "./pino-shape.js";
import { epochNumberMs } from "./timestamp.js";

/** True when `text` holds `word` at `start` (the caller checked the length). */
function holdsAt(text: string, start: number, word: string): boolean {
  for (let i = 2; i < word.length - 1; i++) {
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** The role of the key text (quotes included) from `start` to `end`. */
function roleOf(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start + 1);
  switch (end - start) {
    case 5:
      if (first === 0x6d) return holdsAt(text, start, '"msg"') ? MSG : NONE;
      return first === 0x65 && holdsAt(text, start, '"err"') ? ERR : NONE;
    case 6:
      if (first === 0x74) return holdsAt(text, start, '"time"') ? TIME : NONE;
      return first === 0x6e && holdsAt(text, start, '"name"') ? NAME : NONE;
    case 7:
      return first === 0x6c && holdsAt(text, start, '"level"') ? LEVEL : NONE;
    case 10:
      if (first === 0x68) return holdsAt(text, start, '"hostname"') ? HOST : NONE;
      return first === 0x6d && holdsAt(text, start, '"metadata"') ? METADATA : NONE;
    default:
      return NONE;
  }
}

/** True when the value at `at` has the type its role reads: a number, or a string. */
function fitsRole(role: number, code: number): boolean {
  if (role === LEVEL || role === TIME) return code === MINUS || (code >= 0x30 && code <= 0x39);
  return role === NONE || role === ERR || code === QUOTE;
}

export class PinoText {
  readonly #writer: EntryWriter;
  readonly #scan = new CanonicalScanner();
  /** Where each role's value starts and ends in the line; -1 when absent. */
  readonly #starts = new Int32Array(METADATA + 1);
  readonly #ends = new Int32Array(METADATA + 1);
  /** The members no role took, as the line holds them, joined by commas. */
  #members = "";
  #line = "";
  /** True when the line is printable ASCII without a backslash: one byte a character. */
  #plain = false;
  /** False when the line was read by its shape: the scanner has not seen its keys. */
  #scanned = false;
  #service: string | undefined;
  #serviceJson = "";
  #serviceAscii = true;
  /** Whether the metadata holds a field of this JSON name: the writer's question. */
  readonly #holds = (name: string): boolean => {
    // A field of a role the line holds was taken out of the metadata.
    const role = roleOf(name, 0, name.length);
    if (role >= LEVEL && role <= HOST) return false;
    if (!this.#scanned) this.#scanned = this.#read(this.#line);
    return this.#scan.hasKey(this.#line, 0, name);
  };

  constructor(writer: EntryWriter) {
    this.#writer = writer;
  }

  /** The entry of `line`, or undefined for the general path; `service` replaces the line's. */
  entry(line: string, service?: string): SerializedEntry | undefined {
    if (this.#writer.fieldsReordered || !this.#readAny(line)) return undefined;
    const levelNumber = this.#number(line, LEVEL);
    const level: Level | undefined =
      levelNumber === undefined ? undefined : levelFromPinoNumber(levelNumber);
    const timeNumber = this.#number(line, TIME);
    const ms = timeNumber === undefined ? undefined : epochNumberMs(timeNumber);
    if (timeNumber !== undefined && ms === undefined) return undefined;
    const message = this.#text(line, MSG);
    if (message === undefined && (this.#starts[ERR] ?? -1) >= 0) return undefined;
    this.#line = line;
    const entry = this.#writer.fromJsonParts(
      {
        ms,
        level,
        message,
        service: this.#serviceText(service) ?? this.#text(line, NAME),
        host: this.#text(line, HOST),
        ascii: this.#plain && (service === undefined || this.#serviceAscii),
      },
      this.#members,
      this.#holds,
    );
    this.#line = "";
    return entry;
  }

  /** The text of a role's value, or undefined when the line has none. */
  #text(line: string, role: number): string | undefined {
    const start = this.#starts[role] ?? -1;
    return start < 0 ? undefined : line.slice(start, this.#ends[role]);
  }

  /** A role's number (the scanner found one there), or undefined when the line has none. */
  #number(line: string, role: number): number | undefined {
    const start = this.#starts[role] ?? -1;
    if (start < 0) return undefined;
    const end = this.#ends[role] ?? 0;
    if (end - start > 15) return Number(line.slice(start, end));
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = line.charCodeAt(i) - 0x30;
      // A sign, a fraction or an exponent: Number() reads it.
      if (digit < 0 || digit > 9) return Number(line.slice(start, end));
      value = value * 10 + digit;
    }
    return value;
  }

  /** `service` as JSON text, kept from one line to the next. */
  #serviceText(service: string | undefined): string | undefined {
    if (service === undefined) return undefined;
    if (service !== this.#service) {
      this.#service = service;
      this.#serviceJson = JSON.stringify(service);
      this.#serviceAscii = Buffer.byteLength(this.#serviceJson) === this.#serviceJson.length;
    }
    return this.#serviceJson;
  }

  /** #read(), by the line's shape when it has pino's common one (pino-shape.ts). */
  #readAny(line: string): boolean {
    const members = readPinoShape(line, this.#starts, this.#ends);
    if (members !== undefined) {
      this.#members = members;
      this.#plain = true;
      this.#scanned = false;
      return true;
    }
    this.#scanned = this.#read(line);
    this.#plain = this.#scan.plain;
    return this.#scanned;
  }

  /** Finds the roles and the other members of a canonical line; false when it is not one. */
  #read(line: string): boolean {
    if (line.charCodeAt(0) !== OPEN_BRACE) return false;
    const scan = this.#scan;
    scan.reset(line);
    for (let role = LEVEL; role <= METADATA; role++) this.#starts[role] = -1;
    let members = "";
    let run = -1;
    let runEnd = -1;
    let at = 1;
    if (line.charCodeAt(1) === CLOSE_BRACE) {
      this.#members = "";
      return line.length === 2;
    }
    for (;;) {
      const keyEnd = scan.key(line, at, 0);
      if (keyEnd < 0 || line.charCodeAt(keyEnd) !== COLON) return false;
      const role = roleOf(line, at, keyEnd);
      if (role === METADATA || !fitsRole(role, line.charCodeAt(keyEnd + 1))) return false;
      const end = scan.value(line, keyEnd + 1, 0);
      if (end < 0) return false;
      if (role !== NONE) {
        this.#starts[role] = keyEnd + 1;
        this.#ends[role] = end;
      }
      if (role === NONE || role === ERR) {
        if (run < 0) run = at;
        runEnd = end;
      } else if (run >= 0) {
        members =
          members === "" ? line.slice(run, runEnd) : `${members},${line.slice(run, runEnd)}`;
        run = -1;
      }
      const next = line.charCodeAt(end);
      if (next === CLOSE_BRACE && end + 1 === line.length) break;
      if (next !== COMMA) return false;
      at = end + 1;
    }
    if (run >= 0)
      members = members === "" ? line.slice(run, runEnd) : `${members},${line.slice(run, runEnd)}`;
    this.#members = members;
    return true;
  }
}
