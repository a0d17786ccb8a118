import { InvalidOptionError } from "../foundation/errors.js";
import type { DatagramKind } from "./types.js";

/** Every value of `DecodeOutcome.kind`, in detection order, `unknown` last. */
export const DATAGRAM_KINDS: readonly DatagramKind[] = Object.freeze([
  "framed",
  "json",
  "syslog",
  "gelf",
  "text",
  "unknown",
]);

/** A kind of datagram a decoder can be told to accept (every kind but `unknown`). */
export type AcceptedKind = Exclude<DatagramKind, "unknown">;

/** The kinds that can be turned on and off, in detection order. */
export const ACCEPTABLE_KINDS: readonly AcceptedKind[] = Object.freeze([
  "framed",
  "json",
  "syslog",
  "gelf",
  "text",
]);

/** What a decoder accepts unless told otherwise: every kind but plain text. */
export const DEFAULT_ACCEPTED_KINDS: ReadonlySet<AcceptedKind> = new Set<AcceptedKind>([
  "framed",
  "json",
  "syslog",
  "gelf",
]);

/** The kinds of PROTOCOL.md section 1: our framed datagram and bare JSON. */
export const CONTRACT_KINDS: ReadonlySet<AcceptedKind> = new Set<AcceptedKind>(["framed", "json"]);

function isAcceptedKind(value: string): value is AcceptedKind {
  return (ACCEPTABLE_KINDS as readonly string[]).includes(value);
}

/**
 * Reads a comma-separated list of kinds (`"framed,json,syslog"`; white space
 * around names ignored, repeats allowed) into a set. Throws a TypeError naming
 * the first unknown kind, or when the list names no kind at all.
 */
export function parseAcceptedKinds(list: string): ReadonlySet<AcceptedKind> {
  const kinds = new Set<AcceptedKind>();
  for (const raw of list.split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!isAcceptedKind(name)) {
      throw new InvalidOptionError(
        `unknown kind "${name}": expected ${ACCEPTABLE_KINDS.join(", ")}`,
      );
    }
    kinds.add(name);
  }
  if (kinds.size === 0) {
    throw new InvalidOptionError(`no kind given: expected some of ${ACCEPTABLE_KINDS.join(", ")}`);
  }
  return kinds;
}
