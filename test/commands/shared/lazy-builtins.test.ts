import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  LAZY_BUILTINS,
  lazyRequire,
  loadedAtFirstUse,
} from "../../../src/commands/shared/lazy-builtins.js";

describe("loadedAtFirstUse", () => {
  it("loads once, at the first look at a member, and then stands for the module", () => {
    let loads = 0;
    const module = { answer: 42, twice: (n: number) => 2 * n };
    const standIn = loadedAtFirstUse(() => {
      loads += 1;
      return module;
    }) as typeof module;
    expect(loads).toBe(0);
    expect(standIn.twice(21)).toBe(42);
    expect(standIn.answer).toBe(42);
    expect("answer" in standIn).toBe(true);
    expect("missing" in standIn).toBe(false);
    expect(loads).toBe(1);
  });

  it("lists, describes and spreads the module's members", () => {
    const standIn = loadedAtFirstUse(() => ({ a: 1, b: "two" }));
    expect(Object.keys(standIn)).toEqual(["a", "b"]);
    expect(Object.getOwnPropertyDescriptor(standIn, "b")?.value).toBe("two");
    expect({ ...standIn }).toEqual({ a: 1, b: "two" });
  });
});

describe("lazyRequire", () => {
  const require = createRequire(import.meta.url);

  it("gives a stand-in for the modules of the list, the same one each time", () => {
    const lazy = lazyRequire(require);
    const zlib = lazy("node:zlib") as typeof import("node:zlib");
    expect(zlib).toBe(lazy("node:zlib"));
    expect(zlib).not.toBe(require("node:zlib"));
    expect(zlib.inflateSync(zlib.deflateSync(Buffer.from("x"))).toString()).toBe("x");
  });

  it("requires the other modules as they are, and keeps require's own members", () => {
    const lazy = lazyRequire(require);
    expect(LAZY_BUILTINS.has("node:path")).toBe(false);
    expect(lazy("node:path")).toBe(require("node:path"));
    expect(lazy.resolve("node:path")).toBe(require.resolve("node:path"));
  });
});
