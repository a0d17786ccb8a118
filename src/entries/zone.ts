/**
 * The time zone a timestamp without an offset is read in. A zone turns a
 * wall-clock reading (its fields written as if in UTC, e.g. Date.UTC of
 * 2026-11-24 10:30) into the instant it names there. Offsets change at most
 * every quarter hour in every zone in use, so the named and local zones
 * remember the offset of the last quarter hour they looked up.
 */

const QUARTER_HOUR_MS = 15 * 60_000;

export interface Zone {
  /** How the zone was named: `local`, `UTC`, `+05:30`, `Europe/Paris`. */
  readonly name: string;
  /** Milliseconds since the epoch of the wall-clock reading `wallMs` in this zone. */
  utcMs(wallMs: number): number;
}

/** A zone at a fixed offset east of UTC, in minutes. */
export function fixedZone(offsetMinutes: number, name = offsetName(offsetMinutes)): Zone {
  const offsetMs = offsetMinutes * 60_000;
  return { name, utcMs: (wallMs) => wallMs - offsetMs };
}

export const utcZone: Zone = fixedZone(0, "UTC");

/** `+05:30`, `-07:00`, `+00:00`. */
function offsetName(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * A zone whose offset varies, from a function giving its offset (ms east of
 * UTC) at an instant. The instant of a wall reading is found the usual way:
 * guess with the offset at the reading taken as UTC, then correct once.
 */
function varyingZone(name: string, offsetAt: (utcMs: number) => number): Zone {
  // Two quarter hours are kept: a reading's guess and its correction fall in
  // two of them when the offset is not 0, one after the other on every line.
  let bucket = Number.NaN;
  let bucketOffset = 0;
  let otherBucket = Number.NaN;
  let otherOffset = 0;
  const cached = (utcMs: number) => {
    const at = Math.floor(utcMs / QUARTER_HOUR_MS);
    if (at === bucket) return bucketOffset;
    if (at === otherBucket) return otherOffset;
    otherBucket = bucket;
    otherOffset = bucketOffset;
    bucket = at;
    bucketOffset = offsetAt(utcMs);
    return bucketOffset;
  };
  return {
    name,
    utcMs(wallMs) {
      const first = cached(wallMs);
      const second = cached(wallMs - first);
      return wallMs - second;
    },
  };
}

/** The zone of this process (the TZ variable, else the system's). */
export function localZone(): Zone {
  return varyingZone("local", (utcMs) => -new Date(utcMs).getTimezoneOffset() * 60_000);
}

const LONG_OFFSET = /GMT(?:([+-])(\d\d):?(\d\d)?)?/;

/** An IANA zone (`Europe/Paris`); throws a RangeError for a name Intl does not know. */
export function namedZone(name: string): Zone {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
  return varyingZone(name, (utcMs) => {
    const part = format.formatToParts(utcMs).find((p) => p.type === "timeZoneName")?.value ?? "";
    const match = LONG_OFFSET.exec(part);
    if (!match?.[1]) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    return (match[1] === "-" ? -minutes : minutes) * 60_000;
  });
}

const OFFSET = /^([+-])(\d\d):?(\d\d)$/;

/**
 * A zone from its name: `local`, `UTC` (or `Z`), an offset `+HH:MM`/`-HHMM`,
 * or an IANA name. Undefined for anything else.
 */
export function parseZone(text: string): Zone | undefined {
  const name = text.trim();
  if (name === "local") return localZone();
  if (name === "UTC" || name === "utc" || name === "Z") return utcZone;
  const offset = OFFSET.exec(name);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3]);
    if (hours > 23 || minutes > 59) return undefined;
    return fixedZone((offset[1] === "-" ? -1 : 1) * (hours * 60 + minutes));
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  try {
    return namedZone(name);
  } catch {
    return undefined;
  }
}
