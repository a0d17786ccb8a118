/** The foreign formats the server ingests: syslog, GELF and plain text, parsed into entries. */
export * from "./create-decoder.js";
export { decodeGelfJson, type GelfObject, gelfEntry, gelfObjectOf } from "./gelf.js";
export {
  GELF_MAX_CHUNKS,
  GELF_MAX_HELD_BYTES,
  GelfChunks,
  type GelfChunksOptions,
} from "./gelf-chunks.js";
export {
  decodeSyslog,
  type Level,
  levelOfSeverity,
  SEVERITY_NAMES,
  type SyslogFields,
} from "./syslog.js";
export * from "./text.js";
