/** The foreign formats the server ingests: syslog, GELF and plain text, parsed into entries. */
export * from "./create-decoder.js";
export * from "./gelf.js";
export * from "./gelf-chunks.js";
export * from "./syslog.js";
export * from "./text.js";
