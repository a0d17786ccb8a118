import { describe, expect, it } from "vitest";
import { MAX_WORKERS, workersParser } from "../../../src/commands/server/workers-option.js";

describe("--workers", () => {
  const parse = workersParser(() => 6);

  it("takes an integer from 1 to 64", () => {
    expect(parse("1")).toBe(1);
    expect(parse(" 2 ")).toBe(2);
    expect(parse("64")).toBe(MAX_WORKERS);
  });

  it("takes auto as the cores available, at most 64", () => {
    expect(parse("auto")).toBe(6);
    expect(workersParser(() => 200)("auto")).toBe(MAX_WORKERS);
    expect(workersParser(() => 0)("auto")).toBe(1);
  });

  it.each(["0", "65", "-1", "1.5", "two", "", "0x2", "1e1"])(
    "refuses %j, naming what it takes",
    (raw) => {
      expect(() => parse(raw)).toThrow("expects auto or an integer from 1 to 64");
    },
  );
});
