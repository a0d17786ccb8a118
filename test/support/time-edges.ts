/**
 * Starting points and zones for the property tests that read timestamps
 * in sequence (the kept minute, second and day of the readers): whatever
 * sequence follows, each reading must equal that of its line alone.
 */
import { fixedZone, localZone, namedZone, utcZone, type Zone } from "../../src/entries/zone.js";

export const SEQUENCE_ZONES: readonly Zone[] = [
  utcZone,
  fixedZone(330),
  fixedZone(-480),
  namedZone("Europe/Berlin"),
  namedZone("America/New_York"),
  namedZone("Australia/Lord_Howe"),
  localZone(),
];

/**
 * Minute, day, month and year ends, leap days; DST changes in Berlin, New
 * York and Lord Howe (30 minutes), as instants and as wall readings there
 * (a line's fields are the UTC fields of its instant).
 */
export const SEQUENCE_EDGES: readonly number[] = [
  "2024-02-28T23:59:30.000Z",
  "2023-02-28T23:59:30.000Z",
  "2000-02-29T23:59:58.000Z",
  "2100-02-28T23:59:59.000Z",
  "2025-12-31T23:59:30.000Z",
  "2026-01-31T23:59:59.500Z",
  "2026-03-29T00:59:30.000Z",
  "2026-10-25T00:59:30.000Z",
  "2026-03-08T06:59:30.000Z",
  "2026-11-01T05:59:30.000Z",
  "2026-04-04T14:59:30.000Z",
  "2026-10-03T15:29:30.000Z",
  "1999-12-31T23:59:59.999Z",
  "2027-01-15T08:00:00.000Z",
  "2026-03-29T01:59:30.000Z",
  "2026-10-25T02:59:30.000Z",
  "2026-10-25T01:59:30.000Z",
  "2026-03-08T01:59:30.000Z",
  "2026-11-01T01:59:30.000Z",
  "2026-04-05T01:59:30.000Z",
  "2026-10-04T01:59:30.000Z",
].map((text) => Date.parse(text));
