/**
 * Checks of single library option values: each returns the value, or its
 * default when undefined, and throws an InvalidOptionError (a ShipperError
 * with code ERROR_CODES.INVALID_OPTION, and a TypeError) naming the option.
 */
import { InvalidOptionError } from "../foundation/errors.js";

/** A boolean option; `fallback` when undefined. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new InvalidOptionError(`${name} must be true or false, got ${String(value)}`);
  }
  return value;
}

/** A non-empty string option; `fallback` when undefined. */
export function textOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidOptionError(`${name} must be a non-empty string, got ${String(value)}`);
  }
  return value;
}

/** A function option; `fallback` when undefined. */
export function functionOption<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "function") {
    throw new InvalidOptionError(`${name} must be a function, got ${typeof value}`);
  }
  return value;
}

/** An object option (an observer); undefined stays undefined. */
export function objectOption<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new InvalidOptionError(`${name} must be an object, got ${String(value)}`);
  }
  return value;
}
