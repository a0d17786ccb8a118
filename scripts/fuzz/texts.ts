/**
 * JSON-ish payload texts at the edges of what the payload rules accept:
 * unicode (lone surrogates, BOMs, overlong and truncated UTF-8, NUL), numbers
 * (huge, tiny, not JSON), duplicate and special keys, bare JSON variants, and
 * random well-formed entries.
 */
import { concat, utf8 } from "./envelope.js";
import type { Prng } from "./prng.js";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** Byte sequences put inside strings and keys. */
const ODD_UTF8: readonly Uint8Array[] = [
  bytes(0xed, 0xa0, 0x80), // lone high surrogate, UTF-8 encoded (invalid UTF-8)
  bytes(0xed, 0xb0, 0x80), // lone low surrogate
  bytes(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), // CESU-8 pair
  utf8("\\ud800"),
  utf8("\\udc00"),
  utf8("\\ud800\\u0041"),
  utf8("\\udbff\\udfff"),
  bytes(0xef, 0xbb, 0xbf), // BOM inside a string
  bytes(0xc0, 0xaf), // overlong '/'
  bytes(0xc1, 0xbf),
  bytes(0xe0, 0x80, 0xaf),
  bytes(0xf0, 0x80, 0x80, 0xaf),
  bytes(0xc0, 0x80), // overlong NUL
  bytes(0x00), // raw NUL: a control character inside a string is not JSON
  utf8("\\u0000"),
  bytes(0xf5, 0x80, 0x80, 0x80),
  bytes(0xf8, 0x88, 0x80, 0x80, 0x80), // 5-byte form
  bytes(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80), // 6-byte form
  bytes(0xfe),
  bytes(0xff),
  bytes(0xe2, 0x82), // truncated sequence
  bytes(0xf0, 0x9f, 0x98),
  bytes(0x80), // lone continuation byte
  bytes(0xf4, 0x8f, 0xbf, 0xbf), // U+10FFFF
  bytes(0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
  bytes(0xe2, 0x80, 0xa8), // U+2028
  bytes(0xe2, 0x80, 0xa9), // U+2029
  bytes(0xef, 0xbf, 0xbe), // U+FFFE
  bytes(0xef, 0xbf, 0xbf), // U+FFFF
  bytes(0xf0, 0x9f, 0x98, 0x80), // an emoji
  bytes(0xe2, 0x80, 0xae), // right-to-left override
  utf8("e\u0301\u0301\u0301"), // combining marks
  bytes(0x01),
  bytes(0x1f),
  bytes(0x7f),
  bytes(0x0a), // raw newline inside a string
  utf8('\\n\\r\\t\\\\\\/\\"\\b\\f'),
  utf8("\\x41"), // not a JSON escape
  utf8("\\u12"), // a short escape
];

/** `[{"message":"<odd>"}]`, the odd bytes in a value, a key, or outside any string. */
export function unicodeText(rng: Prng): Uint8Array {
  const odd = rng.pick(ODD_UTF8);
  const bom = rng.chance(0.1) ? bytes(0xef, 0xbb, 0xbf) : new Uint8Array(0);
  switch (rng.int(5)) {
    case 0:
      return concat(bom, utf8('[{"message":"'), odd, utf8('"}]'));
    case 1:
      return concat(bom, utf8('{"'), odd, utf8('":1,"level":"INFO"}'));
    case 2:
      return concat(bom, utf8('[{"a":1},'), odd, utf8("]"));
    case 3:
      return concat(utf8(rng.pick([" ", "\t", "\r\n"])), bom, utf8('[{"m":"'), odd, utf8('"}]'));
    default: {
      const parts: Uint8Array[] = [utf8('[{"message":"')];
      for (let i = rng.range(2, 40); i > 0; i--) parts.push(rng.pick(ODD_UTF8), utf8("x"));
      return concat(...parts, utf8('"}]'));
    }
  }
}

const NUMBERS: readonly string[] = [
  "1e999999",
  "-1e999999",
  "1e-999999",
  "-0",
  "0.0",
  "9007199254740993",
  "18446744073709551616",
  "-9223372036854775809",
  "1.0000000000000000000000001",
  "123456789012345678901234567890e-30",
  "5e-324",
  "1.7976931348623157e309",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x10",
  "0123",
  "1.",
  ".5",
  "+1",
  "1e",
  "1e+",
  "--1",
  "1_000",
  "1E2",
  "1e0001",
];

export function numberText(rng: Prng): Uint8Array {
  const roll = rng.int(4);
  const number =
    roll === 0
      ? `${rng.pick(["", "-"])}1${"0".repeat(rng.range(300, 20_000))}`
      : roll === 1
        ? `0.${"0".repeat(rng.range(300, 5_000))}1e-${rng.range(1, 99_999)}`
        : rng.pick(NUMBERS);
  return utf8(rng.chance(0.5) ? `[{"n":${number}}]` : `{"n":[${number},${number}]}`);
}

export function duplicateKeyText(rng: Prng): Uint8Array {
  switch (rng.int(7)) {
    case 0:
      return utf8('[{"a":1,"a":2}]');
    case 1:
      return utf8('{"a":1,"a":{"a":1,"a":2},"a":[]}');
    case 2:
      return utf8(`[{${Array.from({ length: rng.range(100, 5000) }, () => '"k":1').join(",")}}]`);
    case 3:
      return utf8('[{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}]');
    case 4:
      return utf8('{"":1,"":2,"10":1,"2":2,"1":3}');
    case 5:
      return utf8('[{"\\u0061":1,"a":2,"\\ud800":3,"\\ud800":4}]');
    default:
      return utf8('[{"toString":1,"valueOf":2,"hasOwnProperty":3,"length":-1}]');
  }
}

const BARE: readonly string[] = [
  "[]",
  "{}",
  " \t\r\n[]",
  "[{}]",
  '[{"a":1}]',
  "[1,2,3]",
  '[{"a":1},2,"x",null,true,[],{"b":2}]',
  '[[{"a":1}]]',
  "null",
  '"str"',
  "123",
  "true",
  "[",
  "{",
  "]",
  "}",
  '[{"a":1}]x',
  '[{"a":1}] \n',
  "{}{}",
  '{"a":1}\n{"b":2}',
  "[,]",
  "[1,]",
  '{"a":1,}',
  "{'a':1}",
  "{a:1}",
  '{"a":"unterminated',
  '\ufeff[{"a":1}]',
  "\ufeff \t{}",
  " \ufeff{}",
  "\ufeff\ufeff{}",
  "\f{}",
  "\v[]",
  "\u00a0{}",
  '[{"a":1}]\u0000',
  '[{"a" : 1 , "b" : [ 1 , 2 ] , "c" : "x y" }]',
  '[ { "timestamp" : "2026-11-24T10:30:00.123Z" , "level" : "INFO" } ]',
];

export function bareText(rng: Prng): Uint8Array {
  return rng.chance(0.7) ? utf8(rng.pick(BARE)) : randomBatch(rng);
}

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "TRACE", "", "info"];

/** A random well-formed entry, usually with the original shipper's fields. */
export function randomEntry(rng: Prng): string {
  const entry: Record<string, unknown> = {
    timestamp: new Date(1_700_000_000_000 + rng.int(1e11)).toISOString(),
    level: rng.pick(LEVELS),
    message: "m".repeat(rng.length(4000)),
    service: "fuzz",
  };
  if (rng.chance(0.3)) entry.metadata = { "user.id": `u${rng.int(1000)}`, n: rng.int(1e9) };
  if (rng.chance(0.1)) delete entry.timestamp;
  return JSON.stringify(entry);
}

/** A JSON array of 1..100 random entries, now and then with non-object elements. */
export function randomBatch(rng: Prng): Uint8Array {
  const items: string[] = [];
  for (let i = rng.range(1, 100); i > 0; i--) {
    items.push(rng.chance(0.05) ? rng.pick(["1", '"s"', "null", "[]", "true"]) : randomEntry(rng));
  }
  return utf8(`[${items.join(",")}]`);
}
