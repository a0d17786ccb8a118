/**
 * `--version` (`-V`) of both commands: the version in the package's own
 * package.json, found next to the built file (dist/commands/shared/, and the
 * bundle in dist/bundle/client/, sit three directories below the package
 * root, in a checkout and in a global install alike).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";

/** The package's version; `unknown` when its package.json cannot be read. */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../../../package.json", import.meta.url), "utf8");
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

/** Adds `-V, --version`: prints the version on stdout, exit 0. */
export function addVersionOption(command: Command): void {
  command.version(packageVersion(), "-V, --version", "print the version and exit");
}
