/** Which V8 flags the commands set, that a user's own flag wins, and the re-apply on a worker start. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  applyV8Tuning,
  setSemiSpaceGrowth,
  type TuningProcess,
  v8Flags,
} from "../../../src/commands/shared/v8-tuning.js";

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock("node:v8", () => ({ setFlagsFromString: setFlags }));

const BOTH = ["--semi-space-growth-factor=1", "--heap-growing-percent=20"];

/** A process with the given NODE_OPTIONS and execArgv whose worker threads the test starts. */
function fakeProcess(nodeOptions: string | undefined, execArgv: string[] = []) {
  const online: (() => void)[] = [];
  const proc: TuningProcess = {
    env: nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions },
    execArgv,
    on: (_event, listener) => listener({ once: (_online, f) => online.push(f) }),
  };
  return {
    proc,
    startWorker: () => {
      for (const f of online) f();
    },
    listeners: () => online.length,
  };
}

beforeEach(() => setFlags.mockClear());

describe("v8Flags", () => {
  it.each([
    ["nothing given", undefined, [], BOTH],
    ["a semi-space flag in NODE_OPTIONS", "--max-semi-space-size=8", [], [BOTH[1]]],
    [
      "a semi_space flag on the command line",
      undefined,
      ["--semi_space_growth_factor=2"],
      [BOTH[1]],
    ],
    [
      "a heap-growing flag on the command line",
      undefined,
      ["--heap-growing-percent=50"],
      [BOTH[0]],
    ],
    ["both given", "--heap_growing_percent=30", ["--min-semi-space-size=4"], []],
    ["unrelated flags", "--max-old-space-size=512", ["--enable-source-maps"], BOTH],
  ])("with %s", (_name, nodeOptions, execArgv, expected) => {
    expect(v8Flags(nodeOptions, execArgv)).toEqual(expected);
  });
});

describe("applyV8Tuning", () => {
  it("sets the flags the user did not, and sets them again when a worker comes online", () => {
    const { proc, startWorker } = fakeProcess(undefined);
    expect(applyV8Tuning(proc)).toEqual(BOTH);
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual(BOTH);
    setFlags.mockClear();
    startWorker();
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual(BOTH);
  });

  it("leaves a user's flag to win", () => {
    const { proc } = fakeProcess("--heap-growing-percent=50");
    expect(applyV8Tuning(proc)).toEqual([BOTH[0]]);
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual([BOTH[0]]);
  });

  it("sets nothing and waits for no worker when the user gave both", () => {
    const { proc, listeners } = fakeProcess("--max-semi-space-size=8 --heap-growing-percent=50");
    expect(applyV8Tuning(proc)).toEqual([]);
    expect(setFlags).not.toHaveBeenCalled();
    expect(listeners()).toBe(0);
  });

  it("tunes a process once, however often main runs", () => {
    const { proc, startWorker, listeners } = fakeProcess(undefined);
    applyV8Tuning(proc);
    expect(applyV8Tuning(proc)).toEqual([]);
    expect(listeners()).toBe(1);
    setFlags.mockClear();
    startWorker();
    expect(setFlags).toHaveBeenCalledTimes(BOTH.length);
  });

  it("starts with the growth factor asked for, changed later for every worker too", () => {
    const { proc, startWorker } = fakeProcess(undefined);
    expect(applyV8Tuning(proc, 4)).toEqual(["--semi-space-growth-factor=4", BOTH[1]]);
    setFlags.mockClear();
    expect(setSemiSpaceGrowth(1, proc)).toBe(true);
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual([BOTH[0]]);
    setFlags.mockClear();
    startWorker();
    expect(setFlags.mock.calls.map(([flag]) => flag)).toEqual(BOTH);
  });

  it("changes no growth factor the user set, nor one of a process not tuned", () => {
    const { proc } = fakeProcess("--max-semi-space-size=8");
    applyV8Tuning(proc, 4);
    setFlags.mockClear();
    expect(setSemiSpaceGrowth(1, proc)).toBe(false);
    expect(setSemiSpaceGrowth(1, fakeProcess(undefined).proc)).toBe(false);
    expect(setFlags).not.toHaveBeenCalled();
  });
});
