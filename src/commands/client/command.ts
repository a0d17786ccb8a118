/**
 * What bin/shipper-client.js runs: the command's `main` and the real
 * process's io, in one module so that the build can bundle them (and all they
 * load) into one file (scripts/bundle.mjs).
 */
export { processIO } from "../shared/io.js";
export { main } from "./main.js";
