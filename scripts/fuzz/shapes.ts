/**
 * Datagrams shaped like other protocols or at the edges of the parsers:
 * deep nesting, syslog `<PRI>` lines, GELF (bare, gzip, zlib, chunked), and
 * zlib streams the server must refuse (gzip or raw deflate after the header,
 * trailing bytes, two streams, a wrong Adler-32, a preset dictionary).
 */
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { type Context, concat, envelope, utf8 } from "./envelope.js";

const LEGACY = Uint8Array.of(0xcb, 0xf2, 0x01);

/** 1..100,000 levels of `[` or `{"a":`, closed or not, alone or inside an entry. */
export function nesting(ctx: Context): Uint8Array {
  const { rng } = ctx;
  const depth = rng.chance(0.5) ? 100_000 : rng.range(1, 100_000);
  const open = rng.chance(0.7) ? "[" : '{"a":';
  const close = open === "[" ? "]" : "}";
  const closed = rng.chance(0.7);
  const inner = `${open.repeat(depth)}${open === "[" ? "" : "1"}${closed ? close.repeat(depth) : ""}`;
  const text = rng.pick([inner, `[{"deep":${inner}}]`, `{"deep":${inner}}`, `[${inner},{"ok":1}]`]);
  const bytes = utf8(text);
  return envelope(ctx, bytes, bytes.length > 65_000 ? rng.pick(["zlib", "seq-zlib"]) : undefined);
}

const SYSLOG: readonly string[] = [
  "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \ufeff'su root' failed",
  "<13>Oct 11 22:14:15 host app[123]: user logged in",
  "<0>",
  "<191>1 - - - - - -",
  "<999>overflowing priority",
  "<>",
  '<34>{"json":"after the priority"}',
  '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [exampleSDID@32473 iut="3"] msg',
];

/** A syslog-looking line: raw (unknown-format), or as a framed payload (invalid-json). */
export function syslog(ctx: Context): Uint8Array {
  const { rng } = ctx;
  const line = rng.chance(0.7)
    ? rng.pick(SYSLOG)
    : `<${rng.int(1000)}>${"x".repeat(rng.length(500))} ${rng.uint32().toString(36)}`;
  return rng.chance(0.7) ? utf8(line) : envelope(ctx, utf8(line), rng.pick(["plain", "zlib"]));
}

const GELF = JSON.stringify({
  version: "1.1",
  host: "example.org",
  short_message: "A short message",
  full_message: "Backtrace here\n\nmore stuff",
  timestamp: 1385053862.3072,
  level: 1,
  _user_id: 9001,
});

function gelfChunk(ctx: Context, data: Uint8Array): Uint8Array {
  const header = concat(Uint8Array.of(0x1e, 0x0f), ctx.rng.bytes(8));
  return concat(header, Uint8Array.of(ctx.rng.int(3), ctx.rng.range(1, 3)), data);
}

/** The zlib stream with its Adler-32 damaged, truncated, doubled, or followed by a byte. */
function damagedZlib(ctx: Context, data: Uint8Array): Uint8Array {
  const stream = deflateSync(data);
  switch (ctx.rng.int(5)) {
    case 0: {
      const out = new Uint8Array(stream);
      out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 0x01;
      return out;
    }
    case 1:
      return stream.subarray(0, ctx.rng.int(stream.length));
    case 2:
      return concat(stream, stream);
    case 3:
      return concat(stream, Uint8Array.of(ctx.rng.int(256)));
    default: {
      // FDICT set with a valid header checksum: a preset dictionary the sender never shared.
      const out = concat(Uint8Array.of(0x78, 0xbb), Uint8Array.of(0, 0, 0, 1), stream.subarray(2));
      return out;
    }
  }
}

/** GELF and other compressed-log shapes, framed or not. */
export function gelfLike(ctx: Context): Uint8Array {
  const { rng } = ctx;
  const json = utf8(rng.chance(0.5) ? GELF : `[${GELF},${GELF}]`);
  switch (rng.int(10)) {
    case 0:
      return json;
    case 1:
      return gzipSync(json);
    case 2:
      return deflateSync(json);
    case 3:
      return gelfChunk(ctx, rng.chance(0.5) ? json : gzipSync(json));
    case 4:
      return concat(LEGACY, gzipSync(json));
    case 5:
      return concat(LEGACY, deflateRawSync(json));
    case 6:
      return concat(LEGACY, damagedZlib(ctx, json));
    case 7:
      return concat(LEGACY, deflateSync(json, { level: 0 }));
    case 8:
      return concat(LEGACY, deflateSync(json, { windowBits: 9, memLevel: 1, strategy: 3 }));
    default:
      return rng.chance(0.5) ? LEGACY : Uint8Array.of(0xcb, 0xf2, 0x00);
  }
}
