/** The options that bound what one datagram may cost: sizes and the shape of its JSON. */
import type { Command } from "commander";
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
} from "../../foundation/limits.js";
import { DEFAULT_JSON_LIMITS } from "../../wire/index.js";
import { addOption, byteSize, byteText, integer } from "../shared/options.js";

/** The largest byte count a server option takes. */
export const MAX_OPTION_BYTES = 2 ** 31 - 1;
const MAX_BYTES = MAX_OPTION_BYTES;

/** What one datagram may cost: sizes and the shape of its JSON. */
export function addLimitOptions(command: Command): void {
  addOption(command, {
    flags: "--max-decompressed <bytes>",
    description: "largest payload, inflated or as sent; inflating stops here (too-large)",
    env: "MAX_DECOMPRESSED",
    defaultValue: DEFAULT_MAX_DECOMPRESSED_BYTES,
    defaultDescription: byteText(DEFAULT_MAX_DECOMPRESSED_BYTES),
    parse: byteSize(1, MAX_BYTES),
  });
  addOption(command, {
    flags: "--max-message <bytes>",
    description: "largest reassembled fragmented message (too-large)",
    env: "MAX_MESSAGE",
    defaultValue: DEFAULT_MAX_MESSAGE_BYTES,
    defaultDescription: byteText(DEFAULT_MAX_MESSAGE_BYTES),
    parse: byteSize(1, MAX_BYTES),
  });
  addOption(command, {
    flags: "--max-depth <n>",
    description: "deepest nesting of arrays and objects in a payload (too-deep)",
    env: "MAX_DEPTH",
    defaultValue: DEFAULT_JSON_LIMITS.maxDepth,
    parse: integer(1, 100_000),
  });
  addOption(command, {
    flags: "--max-entries <n>",
    description: "most entries in one payload (too-many-entries)",
    env: "MAX_ENTRIES",
    defaultValue: DEFAULT_JSON_LIMITS.maxEntries,
    parse: integer(1, 100_000_000),
  });
  addOption(command, {
    flags: "--max-fields <n>",
    description: "most values in one entry, nested ones included (too-many-fields)",
    env: "MAX_FIELDS",
    defaultValue: DEFAULT_JSON_LIMITS.maxFields,
    parse: integer(1, 100_000_000),
  });
}
