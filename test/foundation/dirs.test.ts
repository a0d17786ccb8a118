import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirs, makeDirsSync } from "../../src/foundation/dirs.js";

const root = mkdtempSync(join(tmpdir(), "dirs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ["makeDirsSync", async (path: string, mode?: number) => makeDirsSync(path, mode)],
  ["makeDirs", makeDirs],
])("%s", (name, make) => {
  it("makes the missing levels with the mode, and leaves a directory that exists", async () => {
    const path = join(root, name, "a", "b");
    await make(path, 0o700);
    expect(statSync(path).isDirectory()).toBe(true);
    expect(statSync(join(root, name, "a")).mode & 0o777).toBe(0o700);
    await make(path);
    expect(existsSync(path)).toBe(true);
  });

  it("throws what mkdir says under a file", async () => {
    const file = join(root, `${name}-file`);
    writeFileSync(file, "");
    await expect(make(join(file, "x"))).rejects.toMatchObject({ code: "ENOTDIR" });
  });

  it.skipIf(process.platform !== "linux")(
    "throws under /proc, where mkdir says ENOENT, instead of trying again forever",
    async () => {
      await expect(make("/proc/shipper-no-such/x")).rejects.toMatchObject({ code: "ENOENT" });
    },
  );
});
