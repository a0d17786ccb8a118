/**
 * The subject template of the NATS output: `logs.{service}` puts an entry
 * on `logs.<its service>`. `{name}` is a top-level field, `{a.b}` a field
 * inside one (`{metadata.region}`). A value becomes one subject token:
 * characters a token cannot hold (`.`, `*`, `>`, white space, control and
 * other non-printing characters) become `_`, it is cut at MAX_TOKEN_CHARS,
 * and a missing, empty or non-scalar value is `unknown`.
 */
import { InvalidOptionError } from "../../foundation/errors.js";

/** Longest token a value gives; NATS caps a whole protocol line at 4 KiB. */
export const MAX_TOKEN_CHARS = 128;
/** The token of a value that is missing, empty, null, an object or an array. */
export const UNKNOWN_TOKEN = "unknown";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PATH = /^[^\s.{}*>]+(\.[^\s.{}*>]+)*$/;
const UNSAFE = /[.*>\s\p{C}\p{Z}]/gu;

type Part = string | readonly string[];

export interface SubjectTemplate {
  /** The template as given. */
  readonly template: string;
  /** True when the template reads no field: every entry gets the same subject. */
  readonly fixed: boolean;
  /** The subject of one entry, given its parsed fields. */
  render(fields: Readonly<Record<string, unknown>>): string;
  /** The stream subject that covers every subject the template gives: a `*` for each token with a field. */
  readonly streamSubject: string;
}

/** Parses and checks a template; a bad one throws an InvalidOptionError naming `option`. */
export function compileSubject(template: string, option = "--nats-subject"): SubjectTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1] ?? "";
    if (!PATH.test(path)) throw bad(option, template, `{${path}} is not a field name`);
    parts.push(template.slice(last, match.index), path.split("."));
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  const marked = parts.map((part) => (typeof part === "string" ? part : "\u0000")).join("");
  const tokens = marked.split(".");
  for (const token of tokens) {
    const literal = token.replaceAll("\u0000", "");
    if (token === "") throw bad(option, template, "a subject token is empty");
    if (/[\s*>{}\p{C}]/u.test(literal))
      throw bad(option, template, "it holds a wildcard, brace or space");
  }
  const streamSubject = tokens.map((t) => (t.includes("\u0000") ? "*" : t)).join(".");
  return {
    template,
    fixed: parts.length === 1,
    streamSubject,
    render: (fields) =>
      parts.map((part) => (typeof part === "string" ? part : token(lookup(fields, part)))).join(""),
  };
}

function bad(option: string, template: string, why: string): InvalidOptionError {
  return new InvalidOptionError(
    `${option}: ${JSON.stringify(template)} is not a subject template: ${why}`,
  );
}

function lookup(fields: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let value: unknown = fields;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** One value as a safe subject token. */
export function token(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else return UNKNOWN_TOKEN;
  if (text === "") return UNKNOWN_TOKEN;
  const safe = text.replace(UNSAFE, "_");
  if (safe.length <= MAX_TOKEN_CHARS) return safe;
  return Array.from(safe).slice(0, MAX_TOKEN_CHARS).join("");
}
