/** The wire codec: pure functions and classes over bytes, no sockets, timers or process. */

export * from "./ack.js";
export * from "./compression.js";
export * from "./constants.js";
export * from "./frame.js";
export * from "./json-scan.js";
export * from "./kinds.js";
export * from "./payload.js";
export * from "./reasons.js";
export * from "./receive/decoder.js";
export * from "./receive/detect.js";
export * from "./receive/foreign.js";
export * from "./receive/reassembler.js";
export * from "./receive/sequence.js";
export * from "./send/encoder.js";
export * from "./seq-ranges.js";
export * from "./sign.js";
export * from "./types.js";
