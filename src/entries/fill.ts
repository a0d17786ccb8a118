/**
 * The fields log() fills in an entry that lacks them: `timestamp` (the
 * time of the call, RFC 3339 UTC), `service` and `host`. A field present,
 * whatever its value, is kept; an entry lacking none is passed on as it is.
 */
import type { WallClock } from "../foundation/time.js";
import { IsoFormatter } from "./timestamp.js";

export interface EntryFill {
  readonly service: string;
  readonly host: string;
  readonly now: WallClock;
}

type Entry = Record<string, unknown>;

/** The function that fills an entry: a new object when a field is missing, else `entry`. */
export function entryFiller(fill: EntryFill): (entry: Entry) => Entry {
  const iso = new IsoFormatter();
  return (entry) => {
    const has = Object.hasOwn;
    const timestamp = has(entry, "timestamp");
    const service = has(entry, "service");
    const host = has(entry, "host");
    if (timestamp && service && host) return entry;
    return {
      ...(timestamp ? {} : { timestamp: iso.format(fill.now()) }),
      ...entry,
      ...(service ? {} : { service: fill.service }),
      ...(host ? {} : { host: fill.host }),
    };
  };
}
