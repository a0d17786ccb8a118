import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FollowSession } from "../../../../../src/commands/client/input/follow/session.js";
import { parseState } from "../../../../../src/commands/client/input/follow/state-store.js";
import type { ChunkLines } from "../../../../../src/commands/client/input/lines.js";
import { FakeTime } from "../../../../support/fake-time.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "session-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A session on `dir/app.log` whose gate passes when `settled` says so. */
async function session(settled: { all: boolean }, notices: string[] = []) {
  const time = new FakeTime();
  let logged = 0;
  const opened = await FollowSession.open({
    patterns: [join(dir, "app.log")],
    maxLineBytes: 1024,
    intervalMs: 250,
    maxOpenFiles: 8,
    readFrom: "head",
    time,
    onNotice: (message) => notices.push(message),
    statePath: join(dir, "state.json"),
    gate: { mark: () => logged, passed: () => settled.all },
  });
  const iterator = opened.chunks()[Symbol.asyncIterator]();
  const texts: string[] = [];
  /** Reads and logs `count` lines. */
  const read = async (count: number) => {
    while (texts.length < count) {
      const { value } = (await iterator.next()) as { value: ChunkLines };
      for (let line = value.next(); line !== undefined; line = value.next()) {
        texts.push(line);
        logged++;
        value.source?.logged(value.endOffset ?? 0);
      }
    }
  };
  return { opened, time, texts, read, iterator };
}

const offsets = async () =>
  parseState(await readFile(join(dir, "state.json"), "utf8")).records.map((r) => r.offset);

/** Moves fake time one commit interval and waits for the write it started. */
async function commit(time: FakeTime, opened: FollowSession): Promise<void> {
  await time.advance(1000);
  await opened.saved();
}

describe("FollowSession", () => {
  it("writes an offset to the state only once the gate has passed it, and all of it at the end", async () => {
    await writeFile(join(dir, "app.log"), "one\ntwo\n");
    const settled = { all: false };
    const { opened, time, read, iterator } = await session(settled);
    await read(2);
    await commit(time, opened);
    expect(await offsets()).toEqual([0]);
    await commit(time, opened);
    expect(await offsets()).toEqual([0]);
    settled.all = true;
    await commit(time, opened);
    expect(await offsets()).toEqual([8]);
    await appendFile(join(dir, "app.log"), "three\n");
    settled.all = false;
    opened.close();
    await iterator.next();
    await opened.finish();
    expect(await offsets()).toEqual([8]);
  });

  it("a restart resumes after the last line committed", async () => {
    await writeFile(join(dir, "app.log"), "one\ntwo\n");
    const first = await session({ all: true });
    await first.read(2);
    first.opened.close();
    await first.opened.finish();
    await appendFile(join(dir, "app.log"), "three\n");
    const second = await session({ all: true });
    await second.read(1);
    expect(second.texts).toEqual(["three"]);
    second.opened.close();
    await second.opened.finish();
    expect(await offsets()).toEqual([14]);
  });

  it("a corrupt state file: one notice, files start anew, the state is written again", async () => {
    await writeFile(join(dir, "state.json"), "{garbage");
    await writeFile(join(dir, "app.log"), "one\n");
    const notices: string[] = [];
    const { opened, read, texts } = await session({ all: true }, notices);
    expect(notices).toEqual([
      `state file ${join(dir, "state.json")}: not JSON; files without a record start anew`,
    ]);
    await read(1);
    expect(texts).toEqual(["one"]);
    opened.close();
    await opened.finish();
    expect(await offsets()).toEqual([4]);
  });

  it("a state that cannot be written is counted and told once, and reading goes on", async () => {
    await writeFile(join(dir, "app.log"), "one\n");
    await writeFile(join(dir, "file"), "");
    const notices: string[] = [];
    const time = new FakeTime();
    const opened = await FollowSession.open({
      patterns: [join(dir, "app.log")],
      maxLineBytes: 1024,
      intervalMs: 250,
      maxOpenFiles: 8,
      readFrom: "head",
      time,
      onNotice: (message) => notices.push(message),
      // A path under a regular file cannot be created.
      statePath: join(dir, "file", "state.json"),
      gate: { mark: () => 0, passed: () => true },
    });
    const iterator = opened.chunks()[Symbol.asyncIterator]();
    await iterator.next();
    await commit(time, opened);
    await commit(time, opened);
    opened.close();
    await opened.finish();
    expect(opened.stats.state_errors).toBe(3);
    const writes = notices.filter((notice) => notice.startsWith("cannot write state file: "));
    expect(writes, notices.join("\n")).toHaveLength(1);
  });
});
