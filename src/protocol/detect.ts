import { MAGIC } from "./constants.js";
import type { DatagramKind } from "./types.js";

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const BOM = [0xef, 0xbb, 0xbf] as const;

function isJsonSpace(byte: number): boolean {
  return byte === SPACE || byte === TAB || byte === LF || byte === CR;
}

function hasBom(datagram: Uint8Array): boolean {
  return datagram[0] === BOM[0] && datagram[1] === BOM[1] && datagram[2] === BOM[2];
}

/**
 * Tells what a datagram is from its first bytes: `CB F2` is a framed datagram;
 * an optional UTF-8 BOM, optional JSON white space (space, tab, LF, CR), then
 * `[` or `{` is bare JSON; anything else, the empty datagram included, is unknown.
 */
export function detect(datagram: Uint8Array): DatagramKind {
  if (datagram[0] === MAGIC[0] && datagram[1] === MAGIC[1]) return "framed";
  let i = hasBom(datagram) ? BOM.length : 0;
  while (i < datagram.length && isJsonSpace(datagram[i] ?? 0)) i++;
  const first = datagram[i];
  return first === OPEN_BRACKET || first === OPEN_BRACE ? "json" : "unknown";
}
