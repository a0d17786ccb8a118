import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addFields } from "../../../src/server/outputs/fields.js";
import { MessageIds } from "../../../src/server/outputs/ids.js";

describe("MessageIds", () => {
  it("names a sequenced message by its stream and seq, the same every time", () => {
    const ids = new MessageIds("0011223344556677");
    expect(ids.of({ stream: "a1a2a3a4a5a6a7a8", seq: 42 })).toBe("a1a2a3a4a5a6a7a8-42");
    expect(ids.of({ stream: "a1a2a3a4a5a6a7a8", seq: 42 })).toBe("a1a2a3a4a5a6a7a8-42");
  });

  it("gives every other message an id of its own, apart from other runs", () => {
    const ids = new MessageIds("0011223344556677");
    expect([ids.of({}), ids.of({}), ids.of({})]).toEqual([
      "srv-0011223344556677-0",
      "srv-0011223344556677-1",
      "srv-0011223344556677-2",
    ]);
    expect(new MessageIds().of({})).toMatch(/^srv-[0-9a-f]{16}-0$/);
    expect(new MessageIds().of({})).not.toBe(new MessageIds().of({}));
  });
});

describe("addFields", () => {
  it("adds fields an entry lacks, keeping the entry's own values and text", () => {
    const fields = [
      ["env", "prod"],
      ["host", "a"],
    ] as const;
    expect(addFields(['{"host":"b","n":1.0}', "{}"], fields)).toEqual([
      '{"host":"b","n":1.0,"env":"prod"}',
      '{"env":"prod","host":"a"}',
    ]);
  });

  it("always leaves valid JSON holding the entry's fields and the missing ones", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 3 }),
        (entry, fields) => {
          const [out] = addFields([JSON.stringify(entry)], fields);
          const parsed = JSON.parse(out ?? "") as Record<string, unknown>;
          for (const [key, value] of Object.entries(entry)) {
            expect(JSON.stringify(parsed[key])).toBe(JSON.stringify(value));
          }
          for (const [key, value] of fields) {
            if (!Object.hasOwn(entry, key)) expect(Object.hasOwn(parsed, key)).toBe(true);
            if (!Object.hasOwn(entry, key) && fields.find(([k]) => k === key)?.[1] === value) {
              expect(parsed[key]).toBe(value);
            }
          }
        },
      ),
    );
  });
});
