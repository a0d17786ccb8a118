import { describe, expect, it } from "vitest";
import {
  type Decision,
  decide,
  type FileProgress,
  type Observation,
} from "../../../../../src/commands/client/input/follow/rotation.js";

const WAIT = 5000;
const attached: FileProgress = { readOffset: 100, detached: false, grewAtMs: 0 };
const detached: FileProgress = { ...attached, detached: true };
const look = (seen: Partial<Observation>): Observation => ({
  size: 100,
  links: 1,
  path: "same",
  sameStart: undefined,
  ...seen,
});

describe("decide", () => {
  const rows: [string, FileProgress, Partial<Observation>, number, Decision][] = [
    ["nothing new", attached, {}, 10, "unchanged"],
    ["grown", attached, { size: 150, sameStart: true }, 10, "grown"],
    ["shorter than read: copytruncate", attached, { size: 20 }, 10, "truncated"],
    ["emptied", attached, { size: 0 }, 10, "truncated"],
    [
      "other first bytes, longer: rewritten",
      attached,
      { size: 500, sameStart: false },
      10,
      "truncated",
    ],
    ["renamed, new file at the path", attached, { path: "other" }, 10, "rotated"],
    ["renamed, nothing at the path", attached, { path: "missing" }, 10, "rotated"],
    ["deleted", attached, { path: "missing", links: 0 }, 10, "deleted"],
    ["deleted and replaced", attached, { path: "other", links: 0 }, 10, "deleted"],
    ["rotated file still growing", detached, { size: 120 }, 10, "grown"],
    ["rotated file at its end, within the wait", detached, {}, WAIT - 1, "unchanged"],
    ["rotated file at its end, wait over", detached, {}, WAIT, "finished"],
    ["deleted file at its end", detached, { links: 0 }, 10, "finished"],
    ["deleted file with bytes left", detached, { links: 0, size: 130 }, 10, "grown"],
    ["rotated then truncated", detached, { size: 0 }, 10, "truncated"],
  ];
  it.each(rows)("%s", (_, file, seen, now, expected) => {
    expect(decide(file, look(seen), now, WAIT)).toBe(expected);
  });
});
