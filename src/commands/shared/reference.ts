/**
 * The full reference of a command, made from the same option definitions as
 * its `--help`, so the two never disagree: a man page (roff) and bash and zsh
 * completion scripts. scripts/reference.mjs writes them at build time.
 */
import type { Command, Option } from "commander";
import { optionChoices, optionEnv } from "./options.js";

/** What the man page says beyond the options. */
export interface PageText {
  readonly version: string;
  /** Month and year of the release, e.g. `December 2026`. */
  readonly date: string;
  /** Paragraphs of the DESCRIPTION section, after the command's own one-line description. */
  readonly description: readonly string[];
  /** Exit codes and their meanings. */
  readonly exitStatus: readonly (readonly [code: string, meaning: string])[];
  /** Signals and what the command does on each. */
  readonly signals: readonly (readonly [signal: string, meaning: string])[];
  readonly seeAlso: readonly string[];
}

/** One option as the reference shows it. */
export interface OptionEntry {
  /** `-h, --help`, `--port <port>` */
  readonly flags: string;
  /** Long name with its dashes, `--port`; undefined for a short-only option. */
  readonly long: string | undefined;
  readonly short: string | undefined;
  /** The option takes a value. */
  readonly takesValue: boolean;
  /** Its help text, the `(env: X)` note removed. */
  readonly description: string;
  readonly env: string | undefined;
  readonly defaultText: string | undefined;
  /** Values it accepts, when there is a fixed set. */
  readonly choices: readonly string[] | undefined;
}

const ENV_NOTE = / \(env: [A-Z0-9_]+\)$/;

function defaultText(option: Option): string | undefined {
  if (option.defaultValueDescription !== undefined) return option.defaultValueDescription;
  const value: unknown = option.defaultValue;
  if (value === undefined || typeof value === "boolean") return undefined;
  return Array.isArray(value) ? value.join(",") || undefined : String(value);
}

/** A value placeholder that names a file or directory: the shell completes paths for it. */
const PATH_VALUE =
  /<(?:[\w-]*(?:path|file|dir)[\w-]*)>|\[(?:[\w-]*(?:path|file|dir)[\w-]*)\]|FILE/i;

/** What a shell offers for an option's value: its fixed values, paths, or nothing. */
function valueKind(entry: OptionEntry): "choices" | "path" | "free" {
  if (entry.choices !== undefined) return "choices";
  return PATH_VALUE.test(entry.flags) ? "path" : "free";
}

/** The options of `command` in their help order, help itself last. */
export function optionEntries(command: Command): OptionEntry[] {
  const options = [...command.options];
  const help = command.createHelp().visibleOptions(command);
  for (const option of help) if (!options.includes(option)) options.push(option);
  return options.map((option) => ({
    flags: option.flags,
    long: option.long ?? undefined,
    short: option.short ?? undefined,
    takesValue: option.required || option.optional,
    description: option.description.replace(ENV_NOTE, ""),
    env: optionEnv(option),
    defaultText: defaultText(option),
    choices: optionChoices(option),
  }));
}

/** Text escaped for roff: backslashes, and a leading dot or quote that would read as a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/-/g, "\\-")
    .replace(/^([.'])/gm, "\\&$1");
}

function optionItem(entry: OptionEntry): string[] {
  const flags = roff(entry.flags).replace(/(<[^>]+>|\[[^\]]+\])/g, "\\fI$1\\fB");
  const notes = [
    entry.env === undefined ? undefined : `Environment: \\fB${entry.env}\\fR.`,
    entry.defaultText === undefined ? undefined : `Default: ${roff(entry.defaultText)}.`,
  ].filter((note) => note !== undefined);
  return [
    ".TP",
    `\\fB${flags}\\fR`,
    `${roff(entry.description)}${notes.length > 0 ? `. ${notes.join(" ")}` : ""}`,
  ];
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  return rows.flatMap(([term, meaning]) => [".TP", `\\fB${roff(term)}\\fR`, roff(meaning)]);
}

/** The man page of `command`, section 1. */
export function manPage(command: Command, text: PageText): string {
  const name = command.name();
  const entries = optionEntries(command);
  const withEnv = entries.filter((entry) => entry.env !== undefined);
  return [
    `.TH ${name.toUpperCase()} 1 "${text.date}" "udp-log-shipper ${text.version}" "User Commands"`,
    ".SH NAME",
    `${roff(name)} \\- ${roff(command.description())}`,
    ".SH SYNOPSIS",
    `\\fB${roff(name)}\\fR ${roff(command.usage())}`,
    ".SH DESCRIPTION",
    ...text.description.flatMap((paragraph) => [".PP", roff(paragraph)]),
    ".SH OPTIONS",
    `A flag overrides its environment variable. ${
      entries.some((entry) => /<bytes>/.test(entry.flags))
        ? "Sizes take 1400, 64KiB, 16MiB, 1GB; b"
        : "B"
    }ooleans in variables take true/false, 1/0, yes/no, on/off.`,
    ...entries.flatMap(optionItem),
    ".SH ENVIRONMENT",
    ...table(withEnv.map((entry) => [entry.env ?? "", `as ${entry.long ?? entry.flags}`] as const)),
    ".SH EXIT STATUS",
    ...table(text.exitStatus),
    ".SH SIGNALS",
    ...table(text.signals),
    ".SH SEE ALSO",
    text.seeAlso.map((page) => `\\fB${roff(page).replace(/\(/, "\\fR(")}`).join(", "),
    "",
  ].join("\n");
}

/** The long and short names a shell completes. */
function names(entries: readonly OptionEntry[]): string[] {
  return entries.flatMap((entry) => [entry.long, entry.short]).filter((n) => n !== undefined);
}

/** A bash completion script: option names, fixed values, files for the rest. */
export function bashCompletion(command: Command): string {
  const name = command.name();
  const fn = `_${name.replace(/-/g, "_")}`;
  const entries = optionEntries(command);
  const cases = entries
    .filter((entry) => entry.takesValue && entry.long !== undefined)
    .map((entry) => {
      const kind = valueKind(entry);
      const action =
        kind === "choices"
          ? `COMPREPLY=($(compgen -W "${entry.choices?.join(" ")}" -- "$cur"))`
          : kind === "path"
            ? 'COMPREPLY=($(compgen -f -- "$cur"))'
            : "COMPREPLY=()";
      return `    ${entry.long}) ${action}; return ;;`;
    });
  return [
    `# bash completion for ${name}, made from its option definitions`,
    `${fn}() {`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...}, not a template
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  case "$prev" in',
    ...cases,
    "  esac",
    '  if [[ "$cur" == -* ]]; then',
    `    COMPREPLY=($(compgen -W "${names(entries).join(" ")}" -- "$cur"))`,
    "  else",
    '    COMPREPLY=($(compgen -f -- "$cur"))',
    "  fi",
    "}",
    `complete -o filenames -F ${fn} ${name}`,
    "",
  ].join("\n");
}

/** Text inside a zsh `[...]` description. */
function zshText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "'\\''")
    .replace(/([[\]])/g, "\\$1");
}

function zshSpec(entry: OptionEntry): string {
  const description = zshText(entry.description);
  const placeholder = zshText(/<([^>]+)>/.exec(entry.flags)?.[1] ?? "value");
  const kind = valueKind(entry);
  const value = !entry.takesValue
    ? ""
    : kind === "choices"
      ? `:${placeholder}:(${entry.choices?.join(" ")})`
      : `:${placeholder}:${kind === "path" ? "_files" : " "}`;
  const both = entry.long !== undefined && entry.short !== undefined;
  const spellings = [entry.short, entry.long].filter((n) => n !== undefined);
  const head = both ? `(${spellings.join(" ")})'{${spellings.join(",")}}'` : (spellings[0] ?? "");
  return `  '${head}[${description}]${value}'`;
}

/** A zsh completion function (`_shipper-server`), for a directory on $fpath. */
export function zshCompletion(command: Command): string {
  const name = command.name();
  const specs = optionEntries(command).map(zshSpec);
  return [
    `#compdef ${name}`,
    `# zsh completion for ${name}, made from its option definitions`,
    "_arguments -s \\",
    ...specs.map((spec) => `${spec} \\`),
    "  '*:file:_files'",
    "",
  ].join("\n");
}
