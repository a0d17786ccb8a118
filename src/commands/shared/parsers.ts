/**
 * Option value parsers: each names what it accepts in the error it throws,
 * which commander turns into its one-line usage message.
 */
import { InvalidArgumentError } from "commander";
import { GIB, KIB, MIB } from "../../foundation/limits.js";

export type Parser<T> = (raw: string) => T;

/**
 * A parse failure; its message says what the option accepts. It is
 * commander's own error (code `commander.invalidArgument`), which commander
 * turns into its usage message.
 */
export class OptionValueError extends InvalidArgumentError {}

function fail(accepts: string): never {
  throw new OptionValueError(`expects ${accepts}`);
}

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Parser<number> {
  const accepts =
    max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return (raw) => {
    const text = raw.trim();
    if (!/^[+-]?\d+$/.test(text)) fail(accepts);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) fail(accepts);
    return value;
  };
}

export function decimal(min: number, max: number = Number.MAX_VALUE): Parser<number> {
  const accepts =
    max === Number.MAX_VALUE ? `a number >= ${min}` : `a number from ${min} to ${max}`;
  return (raw) => {
    const text = raw.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) fail(accepts);
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) fail(accepts);
    return value;
  };
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: KIB,
  kb: 1000,
  kib: KIB,
  m: MIB,
  mb: 1000 ** 2,
  mib: MIB,
  g: GIB,
  gb: 1000 ** 3,
  gib: GIB,
};

/** A byte count as help shows a default: `2MiB`, `64KiB`, or the plain number. */
export function byteText(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", GIB],
    ["MiB", MIB],
    ["KiB", KIB],
  ] as const) {
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** A byte count: `1400`, `64KiB`, `16MiB`, `1GB` (K/M/G alone are binary). */
export function byteSize(min: number, max: number = Number.MAX_SAFE_INTEGER): Parser<number> {
  const accepts = `a byte count from ${min} to ${max} (e.g. 1400, 64KiB, 16MiB)`;
  return (raw) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
    const unit = BYTE_UNITS[(match?.[2] ?? "").toLowerCase()];
    if (!match || unit === undefined) fail(accepts);
    const value = Math.round(Number(match[1]) * unit);
    if (!Number.isSafeInteger(value) || value < min || value > max) fail(accepts);
    return value;
  };
}

/** A parser that accepts a fixed set of values; the set is kept for the reference (man, completion). */
export type ChoiceParser<T> = Parser<T> & { readonly choices: readonly string[] };

export function oneOf<T extends string>(values: readonly T[]): ChoiceParser<T> {
  const accepts = `one of ${values.join(", ")}`;
  const parse = (raw: string): T => {
    const value = raw.trim();
    if (!(values as readonly string[]).includes(value)) fail(accepts);
    return value as T;
  };
  return Object.assign(parse, { choices: Object.freeze([...values]) });
}

/** An env boolean: true/false, 1/0, yes/no, on/off (any case). */
export const boolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  return fail("true/false, 1/0, yes/no or on/off");
};

export const nonEmpty: Parser<string> = (raw) => {
  if (raw.trim() === "") fail("a non-empty value");
  return raw;
};
