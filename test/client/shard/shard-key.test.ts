import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FALLBACK_KEY, keyOf, keyOfJson } from "../../../src/client/shard/shard-key.js";

describe("keyOfJson", () => {
  it.each([
    ['{"service":"api","message":"x"}', "api"],
    ['{"message":"say \\"service\\":\\"x\\"","service":"api"}', "api"],
    ['{"metadata":{"service":"inner"},"service":"outer"}', "outer"],
    ['{"metadata":{"service":"inner"}}', FALLBACK_KEY],
    ['{"list":["service",{"service":"no"}],"service":"yes"}', "yes"],
    ['{ "service" : "spaced" }', "spaced"],
    ['{"service":"caf\\u00e9"}', "café"],
    ['{"service":42}', "42"],
    ['{"service":true}', "true"],
    ['{"service":null}', FALLBACK_KEY],
    ['{"service":{"a":1}}', FALLBACK_KEY],
    ['{"message":"service"}', FALLBACK_KEY],
    ["not json", FALLBACK_KEY],
    ['{"service":"unterminated', FALLBACK_KEY],
  ])("%s has key %j", (json, key) => {
    expect(keyOfJson(json, "service")).toBe(key);
  });

  it("agrees with keyOf on the entry it is the JSON of", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (entry, field) => {
        const json = JSON.stringify(entry);
        const parsed = JSON.parse(json) as Record<string, unknown>;
        expect(keyOfJson(json, field)).toBe(keyOf(parsed, field));
      }),
    );
  });

  it("never throws on any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof keyOfJson(text, "service")).toBe("string");
      }),
    );
  });
});
