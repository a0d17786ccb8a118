/** What `shipper-client`'s run uses besides its io, with the defaults; tests replace parts of it. */
import { defaultLookup, type Lookup } from "../../client/connection.js";
import { createShipper, type Shipper, type ShipperOptions } from "../../client/shipper.js";
import {
  type Clock,
  systemClock,
  systemTimers,
  systemWallClock,
  type Timers,
  type WallClock,
} from "../../foundation/time.js";
import type { SourceOpener } from "./input/lines.js";

/** What `main` uses besides its io; tests replace parts of it. */
export interface ClientDeps {
  readonly createShipper: (options: ShipperOptions) => Shipper;
  /** Monotonic milliseconds (pacing, status rate). */
  readonly now: Clock;
  /** Wall clock (timestamps), milliseconds since the epoch. */
  readonly wallClock: WallClock;
  readonly random: () => number;
  /** Opens an input source; defaults to files and io.stdin. */
  readonly openSource?: SourceOpener;
  readonly readConfigText?: (path: string) => Promise<string>;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Timers of the multiline timeout. */
  readonly timers: Timers;
  /** Looks the target host up (at start, and the shipper's lookups). */
  readonly lookup: Lookup;
}

export const defaultDeps: ClientDeps = {
  createShipper,
  now: systemClock,
  wallClock: systemWallClock,
  random: Math.random,
  timers: systemTimers,
  lookup: defaultLookup,
};
