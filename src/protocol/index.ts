/** The wire codec: pure functions and classes over bytes, no sockets, timers or process. */
export * from "./compression.js";
export * from "./constants.js";
export * from "./decoder.js";
export * from "./detect.js";
export * from "./encoder.js";
export * from "./frame.js";
export * from "./gelf.js";
export * from "./gelf-chunks.js";
export * from "./kinds.js";
export * from "./payload.js";
export * from "./reasons.js";
export * from "./reassembler.js";
export * from "./sequence.js";
export * from "./sign.js";
export * from "./syslog.js";
export * from "./text.js";
export * from "./types.js";
