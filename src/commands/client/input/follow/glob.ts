/**
 * File patterns for `--follow`: `*` (any characters but `/`), `?` (one
 * character but `/`), `[abc]`/`[a-z]`/`[!a]` (one of a set) and `**` (any
 * number of directories, as a whole path segment; at the end, every file
 * below). A wildcard does not match
 * a name's leading dot, as in the shell. A pattern without wildcards is a
 * literal path. Expansion reads directories only under the literal part of
 * the pattern, never follows a symbolic link to a directory while descending
 * `**`, and stops at MAX_GLOB_DEPTH levels.
 */
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";

/** Levels of directories `**` descends at most. */
export const MAX_GLOB_DEPTH = 16;

/** One path segment of a pattern: a literal name, `**`, or a wildcard matcher. */
export type Segment =
  | { readonly kind: "literal"; readonly name: string }
  | { readonly kind: "any-depth" }
  | { readonly kind: "wildcard"; readonly regexp: RegExp };

export interface CompiledGlob {
  readonly pattern: string;
  /** The directory the wildcards start under (absolute), or the path itself when literal. */
  readonly base: string;
  /** The segments after `base`; empty for a literal path. */
  readonly segments: readonly Segment[];
}

/** True when `text` holds a wildcard: `*`, `?` or `[`. */
export function hasWildcard(text: string): boolean {
  return /[*?[]/.test(text);
}

/** A segment's wildcards as an anchored regular expression. */
export function segmentRegExp(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = segment.slice(i + 1, end);
        const negated = body.startsWith("!") || body.startsWith("^");
        const set = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&");
        source += negated ? `[^/${set}]` : `[${set}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  // A leading wildcard does not match a leading dot.
  const dot = /^[*?[]/.test(segment) ? "(?!\\.)" : "";
  return new RegExp(`^${dot}${source}$`);
}

/** Splits a pattern into its literal base directory and its wildcard segments. */
export function compileGlob(pattern: string, cwd: string = process.cwd()): CompiledGlob {
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  if (!hasWildcard(absolute)) return { pattern, base: absolute, segments: [] };
  const parts = absolute.split(sep);
  const first = parts.findIndex(hasWildcard);
  const base = parts.slice(0, first).join(sep) || sep;
  const segments: Segment[] = [];
  for (const part of parts.slice(first)) {
    if (part === "") continue;
    if (part === "**") {
      if (segments.at(-1)?.kind !== "any-depth") segments.push({ kind: "any-depth" });
    } else if (hasWildcard(part)) segments.push({ kind: "wildcard", regexp: segmentRegExp(part) });
    else segments.push({ kind: "literal", name: part });
  }
  // A trailing `**` means every file below.
  if (segments.at(-1)?.kind === "any-depth")
    segments.push({ kind: "wildcard", regexp: segmentRegExp("*") });
  return { pattern, base, segments };
}

/** Lists a directory; an unreadable one (gone, no permission) lists nothing. */
export type ListDir = (dir: string) => Promise<readonly Dirent[]>;

const listDir: ListDir = async (dir) => {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
};

/**
 * The paths a compiled pattern matches now, sorted; a literal path is
 * returned as it is, whether it exists or not. Files and symbolic links are
 * candidates (the caller checks each is a regular file).
 */
export async function expandGlob(glob: CompiledGlob, list: ListDir = listDir): Promise<string[]> {
  if (glob.segments.length === 0) return [glob.base];
  const found = new Set<string>();
  await walk(glob.base, glob.segments, 0, list, found, 0);
  return [...found].sort();
}

async function walk(
  dir: string,
  segments: readonly Segment[],
  index: number,
  list: ListDir,
  found: Set<string>,
  depth: number,
): Promise<void> {
  const segment = segments[index];
  if (segment === undefined || depth > MAX_GLOB_DEPTH) return;
  const last = index === segments.length - 1;
  if (segment.kind === "any-depth") {
    // `**` matches no directory at all, or one more level and stays.
    await walk(dir, segments, index + 1, list, found, depth);
    for (const entry of await list(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith(".")) {
        await walk(join(dir, entry.name), segments, index, list, found, depth + 1);
      }
    }
    return;
  }
  for (const entry of await list(dir)) {
    const matches =
      segment.kind === "literal" ? entry.name === segment.name : segment.regexp.test(entry.name);
    if (!matches) continue;
    const path = join(dir, entry.name);
    if (last) {
      if (!entry.isDirectory()) found.add(path);
    } else if (entry.isDirectory() || entry.isSymbolicLink()) {
      await walk(path, segments, index + 1, list, found, depth + 1);
    }
  }
}
