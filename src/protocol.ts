/**
 * The package's `protocol` namespace: the wire codec (src/wire) and the
 * foreign formats the server ingests (src/formats), for programs that build
 * or read datagrams themselves.
 */
export * from "./formats/index.js";
export * from "./wire/index.js";
