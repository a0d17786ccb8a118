/**
 * A parsed pino line to its entry by a shorter path than the general one
 * (mapJsonObject with `pino`, EntryWriter parsed()), giving the same text:
 * the parsed object itself becomes the metadata, the fields its roles take
 * set to undefined, which JSON.stringify leaves out, so nothing is copied.
 * An object this path does not cover (a `metadata` field, a static field
 * named by an array index) gets undefined: the general path then.
 */
import type { Level } from "../client/levels.js";
import type { EntryWriter, SerializedEntry } from "./entry-writer.js";
import { levelFromValue } from "./level-names.js";
import { type TimeContext, timeValueMs } from "./timestamp.js";

interface Roles {
  ms: number | undefined;
  level: Level | undefined;
  message: string | undefined;
  service: string | undefined;
  host: string | undefined;
}

/**
 * pino's roles taken out of `object` as fromNamedValues takes them: a
 * field whose value its role can use is set to undefined; any other stays.
 */
function takeRoles(object: Record<string, unknown>, context: TimeContext): Roles {
  const ms = timeValueMs(object.time, context);
  if (ms !== undefined) object.time = undefined;
  const level = levelFromValue(object.level);
  if (level !== undefined) object.level = undefined;
  const { msg, name, hostname } = object;
  const message = typeof msg === "string" ? msg : undefined;
  if (message !== undefined) object.msg = undefined;
  const service = typeof name === "string" ? name : undefined;
  if (service !== undefined) object.name = undefined;
  const host = typeof hostname === "string" ? hostname : undefined;
  if (host !== undefined) object.hostname = undefined;
  return { ms, level, message, service, host };
}

/** mapPino's message without a `msg`: the message of its `err`. */
function errMessage(object: Record<string, unknown>): string | undefined {
  const err = object.err;
  const message =
    typeof err === "object" && err !== null ? (err as Record<string, unknown>).message : undefined;
  return typeof message === "string" ? message : undefined;
}

/**
 * The entry of a pino line parsed as `object`, or undefined for the
 * general path; `object` is left as it is then, and used up otherwise.
 * `service`, when given, replaces the line's own.
 */
export function pinoObjectEntry(
  object: Record<string, unknown>,
  writer: EntryWriter,
  context: TimeContext,
  service?: string,
): SerializedEntry | undefined {
  if (writer.fieldsReordered || Object.hasOwn(object, "metadata")) return undefined;
  const roles = takeRoles(object, context);
  if (roles.message === undefined) roles.message = errMessage(object);
  if (service !== undefined) roles.service = service;
  return writer.parsedWithFields(roles, object);
}
