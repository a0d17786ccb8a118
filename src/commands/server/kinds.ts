/** `--accept` and `--accept-text`: which kinds of datagram the server decodes. */
import type { Command } from "commander";
import { type AcceptedKind, DEFAULT_ACCEPTED_KINDS, parseAcceptedKinds } from "../../wire/index.js";
import { addOption, OptionValueError, type Parser } from "../shared/options.js";

export interface KindRawOptions {
  accept: ReadonlySet<AcceptedKind>;
  acceptText?: boolean;
}

const kindList: Parser<ReadonlySet<AcceptedKind>> = (raw) => {
  try {
    return parseAcceptedKinds(raw);
  } catch (error) {
    throw new OptionValueError(error instanceof Error ? error.message : String(error));
  }
};

export function addKindOptions(command: Command): void {
  addOption(command, {
    flags: "--accept <kinds>",
    description:
      "comma-separated kinds of datagram to decode: framed, json, syslog, gelf, text; others are unknown-format",
    env: "ACCEPT",
    defaultValue: DEFAULT_ACCEPTED_KINDS,
    defaultDescription: [...DEFAULT_ACCEPTED_KINDS].join(","),
    parse: kindList,
  });
  addOption(command, {
    flags: "--accept-text",
    description: "also take any other datagram as plain text lines (adds text to --accept)",
    env: "ACCEPT_TEXT",
  });
}

/** The accepted kinds: `--accept`, plus text with `--accept-text`. */
export function resolveKinds(raw: KindRawOptions): ReadonlySet<AcceptedKind> {
  if (raw.acceptText !== true) return raw.accept;
  return new Set<AcceptedKind>([...raw.accept, "text"]);
}
