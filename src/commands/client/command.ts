/**
 * The command's `main` and the real process's io, in one module so that the
 * build can bundle them (and all they load) into one file (scripts/bundle.mjs,
 * run by bin/shipper-client.cjs through load.ts); without the bundle, bin/
 * imports this module.
 */
export { processIO } from "../shared/io.js";
export { main } from "./main.js";
