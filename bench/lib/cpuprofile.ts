/** Self and total time per function from a V8 .cpuprofile (node --cpu-prof). */
import { readFileSync } from "node:fs";
import { ROOT } from "../../test/support/process.js";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  /** `name file:line`, the file relative to the project. */
  readonly name: string;
  readonly selfMs: number;
  /** Time with this function anywhere on the stack. */
  readonly totalMs: number;
  readonly selfShare: number;
  readonly totalShare: number;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(`file://${ROOT}`, "").replace(/^node:/, "node:");
  const name = functionName === "" ? "(anonymous)" : functionName;
  return file === "" ? name : `${name} ${file}:${lineNumber + 1}`;
}

/** Functions by self time, with their total time, over the whole profile. */
export function functionTimes(path: string): { totalMs: number; functions: FunctionTime[] } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const node = byId.get(id);
    if (node === undefined) return;
    const own = label(node);
    self.set(own, (self.get(own) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame !== undefined) onStack.add(label(frame));
    }
    for (const name of onStack) total.set(name, (total.get(name) ?? 0) + us);
  });
  const functions = [...total.entries()].map(([name, totalOf]) => ({
    name,
    selfMs: (self.get(name) ?? 0) / 1000,
    totalMs: totalOf / 1000,
    selfShare: (self.get(name) ?? 0) / totalUs,
    totalShare: totalOf / totalUs,
  }));
  functions.sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: totalUs / 1000, functions };
}
