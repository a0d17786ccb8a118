import { describe, expect, it } from "vitest";
import type { LineShipper } from "../../src/node/line-shipper.js";
import { LineTaker, MAX_LINE_CHARS } from "../../src/node/line-taker.js";

/** A LineShipper that keeps the lines written to it and answers `ready` to each. */
function keeper(ready: boolean) {
  const lines: string[] = [];
  const shipper = {
    write(line: string) {
      lines.push(line);
      return ready;
    },
  } as unknown as LineShipper;
  return { lines, taker: new LineTaker(shipper) };
}

describe("LineTaker.finish", () => {
  it.each([true, false])(
    "ships the last text's lines and the kept rest (shipper ready: %s)",
    (ready) => {
      const { lines, taker } = keeper(ready);
      expect(taker.take("one\ntw")).toBe(ready);
      expect(taker.finish("o\nthree\r")).toBe(ready);
      expect(lines).toEqual(["one", "two", "three"]);
    },
  );

  it("ships the rest when a full shipper refused the last text's long piece", () => {
    const { lines, taker } = keeper(false);
    taker.take("x".repeat(MAX_LINE_CHARS - 1));
    expect(taker.finish("\ufffd\ufffd")).toBe(false);
    expect(lines).toEqual([`${"x".repeat(MAX_LINE_CHARS - 1)}\ufffd`, "\ufffd"]);
  });

  it("with nothing kept and no last text, ships nothing more", () => {
    const { lines, taker } = keeper(true);
    expect(taker.take("done\n")).toBe(true);
    expect(taker.finish("")).toBe(true);
    expect(lines).toEqual(["done"]);
  });
});
