/**
 * The errors the project throws on purpose. Each carries a stable `code`
 * from ERROR_CODES (the strings never change; messages may), so callers
 * branch on `error.code`, not on a message:
 *
 *   try { createShipper(options) } catch (error) {
 *     if (error instanceof ShipperError && error.code === ERROR_CODES.INVALID_OPTION) ...
 *   }
 *
 * A bad option throws an InvalidOptionError: a TypeError, as Node throws
 * for a bad argument, that is also `instanceof ShipperError`. Every other
 * error is a ShipperError or one of its subclasses.
 */

/** Every code a ShipperError (or an InvalidOptionError) carries, one line each on when. */
export const ERROR_CODES = Object.freeze({
  /** An option of the client or server library, or of the wire codec, is missing or out of range. */
  INVALID_OPTION: "shipper.invalidOption",
  /** A datagram was sent through a connection after it was closed (the shipper was closed). */
  CONNECTION_CLOSED: "shipper.connectionClosed",
  /** A command's options do not go together, or a file an option names cannot be used. */
  USAGE: "shipper.usage",
  /** An environment variable holds a value its option does not accept. */
  INVALID_ENV: "shipper.invalidEnv",
  /** The client's `--config` file cannot be read, is not JSON, or holds a bad key or value. */
  CONFIG_FILE: "shipper.config",
  /** A key file cannot be read or holds no key. */
  KEY_FILE: "shipper.keyFile",
  /** An entry given to the client's log() did not make it; the error's `reason` says why. */
  ENTRY_DROPPED: "shipper.entryDropped",
  /** An invariant of the project's own code failed: a bug to report, never the caller's doing. */
  INTERNAL: "shipper.internal",
} as const);

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODES));

/** True for a string that is one of ERROR_CODES. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && CODES.has(value);
}

export class ShipperError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /**
   * An InvalidOptionError is a ShipperError too, though its class extends
   * TypeError. `this` is the class asked about: a subclass inherits this
   * check and keeps the ordinary answer.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the class asked about, which may be a subclass
    return isInstance(this, value);
  }
}

function isInstance(klass: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(klass, value)) return true;
  return (
    klass === ShipperError &&
    (value instanceof InvalidOptionError || value instanceof OptionRangeError)
  );
}

/** A bad option: `code` is ERROR_CODES.INVALID_OPTION and the message names the option. */
export class InvalidOptionError extends TypeError {
  readonly code: ErrorCode = ERROR_CODES.INVALID_OPTION;
}

/**
 * A number option out of its range, where Node's own functions throw a
 * RangeError: `code` is ERROR_CODES.INVALID_OPTION, as for InvalidOptionError.
 */
export class OptionRangeError extends RangeError {
  readonly code: ErrorCode = ERROR_CODES.INVALID_OPTION;
}
