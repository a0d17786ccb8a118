/**
 * The man pages and completions are made from the commands' own option
 * definitions: every option `--help` shows is in each of them, with its
 * environment variable and default; bash completes names and fixed values;
 * groff reads the pages without a warning.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { clientCommand } from "../../../src/commands/client/options.js";
import { serverCommand } from "../../../src/commands/server/options.js";
import {
  bashCompletion,
  manPage,
  optionEntries,
  zshCompletion,
} from "../../../src/commands/shared/reference.js";
import { PAGE_TEXT } from "../../../src/commands/shared/reference-pages.js";
import { tailCommand } from "../../../src/commands/tail/options.js";

const commands = {
  "shipper-server": serverCommand,
  "shipper-client": clientCommand,
  "shipper-tail": tailCommand,
} as const;
const page = (name: keyof typeof commands) =>
  manPage(commands[name](), { ...PAGE_TEXT[name], version: "9.9.9", date: "December 2026" });

/** The long flags of a `--help` text. */
function helpFlags(name: keyof typeof commands): string[] {
  const help = commands[name]().helpInformation();
  return [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] ?? "");
}

describe.each(Object.keys(commands) as (keyof typeof commands)[])("%s reference", (name) => {
  it("lists every option of --help, in the man page and both completions", () => {
    const flags = helpFlags(name);
    expect(flags.length).toBeGreaterThan(10);
    const man = page(name).replace(/\\-/g, "-");
    const bash = bashCompletion(commands[name]());
    const zsh = zshCompletion(commands[name]());
    for (const flag of flags) {
      expect(man).toContain(flag);
      expect(bash).toContain(flag);
      expect(zsh).toMatch(new RegExp(`${flag}(\\[|}')`));
    }
    expect(optionEntries(commands[name]()).map((e) => e.long)).toEqual(
      expect.arrayContaining(flags),
    );
  });

  it("names each option's environment variable and default in the man page", () => {
    const man = page(name).replace(/\\-/g, "-");
    for (const entry of optionEntries(commands[name]())) {
      if (entry.env !== undefined) expect(man).toContain(`Environment: \\fB${entry.env}\\fR`);
    }
    expect(man).toMatch(
      /^\.TH SHIPPER-(SERVER|CLIENT|TAIL) 1 "December 2026" "udp-log-shipper 9\.9\.9"/,
    );
    expect(man).toContain(".SH EXIT STATUS");
  });

  it.skipIf(spawnSync("groff", ["--version"]).status !== 0)(
    "renders with groff, no warning",
    () => {
      const result = spawnSync("groff", ["-man", "-ww", "-z"], { input: page(name) });
      expect(result.stderr.toString()).toBe("");
      expect(result.status).toBe(0);
    },
  );
});

/** What bash completes for the words typed so far (the last one being completed). */
function complete(script: string, words: string[]): string[] {
  const fn = `_${words[0]?.replace(/-/g, "_")}`;
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync("bash", ["--norc", "-c", program], { encoding: "utf8" });
  return result.stdout.split("\n").filter((line) => line !== "");
}

describe.skipIf(spawnSync("bash", ["--version"]).status !== 0)("bash completion", () => {
  const script = bashCompletion(serverCommand());

  it("completes option names", () => {
    expect(complete(script, ["shipper-server", "--max-dep"])).toEqual(["--max-depth"]);
  });

  it("completes the fixed values of an option", () => {
    expect(complete(script, ["shipper-server", "--format", "p"])).toEqual(["pretty"]);
  });

  it("offers nothing for a free value such as a port", () => {
    expect(complete(script, ["shipper-server", "--port", ""])).toEqual([]);
  });
});
